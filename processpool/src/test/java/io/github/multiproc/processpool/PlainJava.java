package io.github.multiproc.processpool;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
