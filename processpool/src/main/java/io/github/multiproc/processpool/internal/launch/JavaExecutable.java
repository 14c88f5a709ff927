package io.github.multiproc.processpool.internal.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds the {@code java} executable a worker JVM is started with: the running JVM's, or the one
 * in a Java home the user named ({@code ProcessPool.builder().javaHome(...)}).
 *
 * {@snippet :
 * String java = JavaExecutable.current();                           // .../bin/java of this JVM
 * String other = JavaExecutable.inHome(Path.of("/opt/jdk-25"));     // checked: exists, executable, 25+
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class JavaExecutable {

  /** The oldest Java feature release a worker can run on (the library's class files). */
  public static final int MIN_FEATURE = 25;

  private JavaExecutable() {}

  /**
   * Returns the running JVM's {@code java}: {@code java.home}'s {@code bin/java} when it exists,
   * otherwise the command this process was started with. A runtime image without {@code bin/java}
   * (a {@code jpackage} application image, a {@code jlink} image made with
   * {@code --strip-native-commands}) falls back to the launcher that started it, which is why the
   * pool's start diagnostics point at {@code javaHome(...)}.
   *
   * @return the path of the executable
   */
  public static String current() {
    Path fromHome = executable(Path.of(System.getProperty("java.home")));
    if (Files.isExecutable(fromHome)) {
      return fromHome.toString(); // without ProcessHandle.info(), which reads /proc and the user database
    }
    return ProcessHandle.current().info().command().orElse(fromHome.toString());
  }

  /**
   * Returns the {@code java} executable of a Java home, after checking that it is one a worker can
   * run on.
   *
   * @param javaHome a JDK or JRE directory
   * @return the absolute path of its {@code bin/java}
   * @throws IllegalArgumentException if {@code bin/java} is missing or not executable, or the
   *     home's {@code release} file names a Java older than {@value #MIN_FEATURE}
   */
  public static String inHome(Path javaHome) {
    Path home = javaHome.toAbsolutePath().normalize();
    Path java = executable(home);
    if (!Files.isExecutable(java)) {
      throw new IllegalArgumentException("javaHome has no executable bin/java: javaHome=" + home
          + " (expected " + java + ")");
    }
    int feature = releaseFeature(home);
    if (feature > 0 && feature < MIN_FEATURE) {
      throw new IllegalArgumentException("javaHome must be Java " + MIN_FEATURE + " or newer: javaHome=" + home
          + " is Java " + feature);
    }
    return java.toString();
  }

  /** {@return the feature release named by a Java home's {@code release} file, or 0 if it names none} */
  static int releaseFeature(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return 0; // unreadable: let the worker's own start say what is wrong
    }
    String version = p.getProperty("JAVA_VERSION", "").replace("\"", "").strip();
    if (version.startsWith("1.")) {
      version = version.substring(2); // 1.8.0_392 -> 8
    }
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
  }

  private static Path executable(Path home) {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return home.resolve("bin").resolve(windows ? "java.exe" : "java");
  }
}
