package io.github.multiproc.benchmarks.suite;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python side of the suite: one long-lived {@code python3 benchmarks/python/peer.py} that runs
 * one repetition per command and answers {@code {"value": x}}. Kept alive across scenarios so
 * the interpreter's own start-up is not measured.
 */
final class PythonPeer implements AutoCloseable {

  private static final Pattern VALUE = Pattern.compile("\\{\"value\": ([-+0-9.eE]+)}");

  private final Process process;
  private final BufferedWriter commands;
  private final BufferedReader answers;

  PythonPeer(String python, Path script) throws IOException {
    process = new ProcessBuilder(List.of(python, script.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Runs one repetition and returns its value. */
  double run(String command) throws IOException {
    commands.write(command);
    commands.newLine();
    commands.flush();
    String answer = answers.readLine();
    if (answer == null) {
      throw new IOException("python peer ended before answering: " + command);
    }
    Matcher m = VALUE.matcher(answer);
    if (!m.matches()) {
      throw new IOException("python peer failed on '" + command + "': " + answer);
    }
    return Double.parseDouble(m.group(1));
  }


  @Override
  public void close() throws IOException {
    commands.close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt(); // keep the caller's interrupt status
    }
  }
}
