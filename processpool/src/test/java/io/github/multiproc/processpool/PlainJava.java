package io.github.multiproc.processpool;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@code java} command as a user would, outside Maven and Surefire: this JDK's
 * {@code java}, native access for the library, and a class path built from what
 * {@code mvn dependency:build-classpath} printed (written to {@code target/runtime-classpath.txt}
 * by the build). Shared by the integration tests that run a plain {@code main}.
 */
final class PlainJava {

  private PlainJava() {}

  /** @return this module's build directory */
  static Path target() {
    return Path.of("target").toAbsolutePath();
  }

  /**
   * Returns the library's runtime dependencies, as the build listed them.
   *
   * @return the class-path entries
   * @throws IOException if the list cannot be read
   */
  static List<String> dependencies() throws IOException {
    return List.of(Files.readString(target().resolve("runtime-classpath.txt")).strip().split(File.pathSeparator));
  }

  /**
   * Returns the class path of this module's classes and test classes, then its dependencies.
   *
   * @return the class path
   * @throws IOException if the dependency list cannot be read
   */
  static String moduleClassPath() throws IOException {
    List<String> entries = new ArrayList<>(List.of(target().resolve("classes").toString(),
        target().resolve("test-classes").toString()));
    entries.addAll(dependencies());
    return String.join(File.pathSeparator, entries);
  }

  /**
   * Returns a process builder for {@code java [jvmArgs] -cp classPath mainClass args}.
   *
   * @param jvmArgs JVM options before the class path
   * @param classPath the class path
   * @param mainClass the main class
   * @param args the program's arguments
   * @return the builder
   */
  static ProcessBuilder command(List<String> jvmArgs, String classPath, Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /**
   * Reads the first line of a program that prints {@code pids=<a>,<b>,...} when it is ready (the
   * parents of the parent-death tests), and closes its output.
   *
   * @param program the running program
   * @return the pids
   * @throws IOException if it printed something else or nothing
   */
  static List<Long> readPids(Process program) throws IOException {
    String line;
    try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
        program.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    if (line == null || !line.startsWith("pids=")) {
      throw new IOException("the program must print pids=<pid>,... first: printed " + line);
    }
    return java.util.Arrays.stream(line.substring(5).split(",")).map(Long::parseLong).toList();
  }

  /** @return this JDK's {@code java} executable */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Returns a process builder for {@code java <args>}, exactly as given: no flag is added, as a
   * user would type it.
   *
   * @param args everything after {@code java}
   * @return the builder
   */
  static ProcessBuilder bare(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  /**
   * Runs a command to its end, its stdout and stderr captured apart (through files, so neither
   * can fill a pipe and stall it).
   *
   * @param builder the command
   * @param timeout how long it may take
   * @return what it printed and its exit code
   * @throws IOException if it cannot be started or its output read
   * @throws InterruptedException if interrupted while waiting
   */
  static Run run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
    Path out = Files.createTempFile(target(), "plain-", ".out");
    Path err = Files.createTempFile(target(), "plain-", ".err");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("still running after " + timeout + ": " + builder.command()
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * What a finished command printed.
   *
   * @param exit its exit code
   * @param out its stdout
   * @param err its stderr
   */
  record Run(int exit, String out, String err) {

    /** {@return the lines of stderr that the JDK prints as warnings ({@code WARNING: ...})} */
    List<String> jdkWarnings() {
      return err.lines().filter(l -> l.contains("WARNING:")).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }
}
