package io.github.multiproc.benchmarks.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starting the peer processes of a benchmark and summarizing its runs. */
final class Peers {

  private Peers() {}

  /** Starts this JVM's {@code java} with the same class path on {@code mainClass args}. */
  static Process startJvm(Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Runs a command to completion and returns its stdout lines; fails on a non-zero exit. */
  static List<String> run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("command failed with exit code " + exit + ": " + command);
    }
    return lines;
  }


  /** The value of {@code key=value} among whitespace-separated tokens of the line starting with {@code tag}. */
  static double field(List<String> lines, String tag, String key) {
    for (String line : lines) {
      if (line.startsWith(tag + " ")) {
        for (String token : line.split("\\s+")) {
          if (token.startsWith(key + "=")) {
            return Double.parseDouble(token.substring(key.length() + 1));
          }
        }
      }
    }
    throw new IllegalStateException("no " + key + " on a line starting with " + tag + " in " + lines);
  }
}
