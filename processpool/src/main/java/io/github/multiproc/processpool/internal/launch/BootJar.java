package io.github.multiproc.processpool.internal.launch;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * A Spring Boot executable jar that the library was loaded from, and how to start another main
 * class through Boot's own launcher.
 *
 * <p>In a Boot jar ({@code java -jar app.jar}) the library sits nested under
 * {@code BOOT-INF/lib/} and is loaded by Boot's class loader, so {@code java.class.path} is only
 * {@code app.jar} and a plain {@code java -cp app.jar WorkerMain} cannot find the worker. Boot's
 * {@code PropertiesLauncher} starts any main class with the archive's class path
 * ({@code BOOT-INF/classes} and {@code BOOT-INF/lib}):
 *
 * <pre>
 * java -Dloader.main=&lt;main class&gt; -Dloader.home=&lt;parent's&gt; -cp /abs/app.jar \
 *      org.springframework.boot.loader.launch.PropertiesLauncher &lt;args&gt;
 * </pre>
 *
 * <p>Boot 3.2 and later (4.x included) name the launcher
 * {@code org.springframework.boot.loader.launch.PropertiesLauncher} and load nested jars from
 * {@code jar:nested:/abs/app.jar/!BOOT-INF/lib/x.jar!/} URLs; Boot 2.x to 3.1 name it
 * {@code org.springframework.boot.loader.PropertiesLauncher} and use
 * {@code jar:file:/abs/app.jar!/BOOT-INF/lib/x.jar!/}. Both are recognized. The parent's
 * {@code loader.path}, {@code loader.config.name} and {@code loader.config.location} are passed
 * on, and {@code loader.home} is pinned to the parent's, so a worker in another working directory
 * sees the same class path.
 *
 * @param archive the executable jar, absolute
 * @param launcherClass the name of Boot's {@code PropertiesLauncher} inside it
 */
public record BootJar(Path archive, String launcherClass) {

  /** Boot 3.2 and later. */
  static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
  /** Boot 2.x to 3.1. */
  static final String LEGACY_LAUNCHER = "org.springframework.boot.loader.PropertiesLauncher";

  private static final List<String> PASSED_ON = List.of("loader.path", "loader.config.name", "loader.config.location");

  /**
   * Returns the outer archive of a nested-jar code source, such as
   * {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/} or {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}.
   *
   * @param location a class's code source location
   * @return the outer archive, or empty when the location is not inside another jar
   */
  public static Optional<Path> nestedArchive(URL location) {
    if (location == null || !"jar".equals(location.getProtocol())) {
      return Optional.empty();
    }
    String inner = location.getPath(); // nested:/app.jar/!BOOT-INF/lib/x.jar!/  or  file:/app.jar!/BOOT-INF/...
    if (inner.startsWith("nested:")) {
      int end = inner.indexOf("/!");
      return end < 0 ? Optional.empty() : ClassPathEntries.fileUrlPath(inner.substring("nested:".length(), end));
    }
    int first = inner.indexOf("!/");
    if (inner.startsWith("file:") && first > 0 && inner.indexOf("!/", first + 2) > 0) {
      return ClassPathEntries.fileUrlPath(inner.substring("file:".length(), first));
    }
    return Optional.empty();
  }

  /**
   * Finds Boot's {@code PropertiesLauncher} in an archive.
   *
   * @param archive an executable jar
   * @return the Boot jar, or empty when the archive holds no known launcher
   * @throws IOException if the archive cannot be read
   */
  public static Optional<BootJar> of(Path archive) throws IOException {
    try (JarFile jar = new JarFile(archive.toFile())) {
      for (String launcher : List.of(LAUNCHER, LEGACY_LAUNCHER)) {
        if (jar.getEntry(launcher.replace('.', '/') + ".class") != null) {
          return Optional.of(new BootJar(archive.toAbsolutePath(), launcher));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the JVM options and main class that run {@code mainClass} from this archive; the
   * program's arguments follow them.
   *
   * @param mainClass the class whose {@code main} to run
   * @return {@code -Dloader.*} options, {@code -cp <archive>} and the launcher class
   */
  public List<String> launchArguments(String mainClass) {
    List<String> args = new ArrayList<>();
    args.add("-Dloader.main=" + mainClass);
    args.add("-Dloader.home=" + System.getProperty("loader.home", System.getProperty("user.dir")));
    for (String key : PASSED_ON) {
      String value = System.getProperty(key);
      if (value != null) {
        args.add("-D" + key + "=" + value);
      }
    }
    args.add("-cp");
    args.add(archive.toString());
    args.add(launcherClass);
    return args;
  }
}
