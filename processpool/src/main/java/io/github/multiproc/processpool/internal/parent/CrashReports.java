package io.github.multiproc.processpool.internal.parent;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a worker JVM writes its fatal-error report ({@code hs_err_pid<pid>.log}) when it crashes in
 * native code, and how the pool quotes it. By default the JVM writes the report into its working
 * directory (the user's) and prints its banner on stdout, so a crash looked like a plain
 * {@code SIGABRT} with an empty stderr tail. Workers are started with
 * {@code -XX:ErrorFile=<tmp>/multiproc-crashes/hs_err_pid%p.log}; when one dies by a
 * signal, the pool reads the report's summary (the signal, the problematic frame) into the
 * worker's death, with the report's path. Reports are kept: they are the evidence.
 *
 * <p>Thread safety: stateless.
 */
final class CrashReports {

  /** How many lines of the report's header a death quotes. */
  static final int QUOTED_LINES = 12;


  private CrashReports() {}

  /** @return the crash directory: one for every pool on this machine; reports are named by pid */
  static Path directory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "multiproc-crashes");
  }

  /** @return the JVM options that put a worker's crash report in {@link #directory()} (created here) */
  static List<String> jvmArgs() {
    try {
      Files.createDirectories(directory());
      return List.of("-XX:ErrorFile=" + directory().resolve("hs_err_pid%p.log"));
    } catch (IOException e) {
      Log.LOG.debug("no crash directory {}: {}; workers write crash reports where the JVM chooses", directory(), e.toString());
      return List.of();
    }
  }

  /**
   * Describes a worker's crash, if it left a report.
   *
   * @param pid the worker
   * @param exitCode its exit code, if known
   * @return the report's summary and path, or "" if there is none
   */
  static String describe(long pid, OptionalInt exitCode) {
    if (exitCode.isPresent() && exitCode.getAsInt() <= 128) {
      return "";
    }
    Path report = directory().resolve("hs_err_pid" + pid + ".log");
    if (!Files.isRegularFile(report)) {
      return "";
    }
    List<String> quoted = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(report, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = in.readLine()) != null && quoted.size() < QUOTED_LINES) {
        if (line.startsWith("#") && !line.isBlank() && !line.equals("#")) {
          quoted.add(line);
        }
      }
    } catch (IOException e) {
      return "[multiproc] the JVM crashed; its report is " + report + " (unreadable: " + e + ")";
    }
    String signal = quoted.stream().filter(l -> l.contains(" (0x") && l.contains("at pc=")).findFirst()
        .map(l -> l.replaceFirst("^#\\s*", "").trim()).orElse("a fatal error");
    return "[multiproc] the JVM crashed in native code: " + signal + "; crash report " + report + ":\n"
        + String.join("\n", quoted);
  }

  /** The logger, bound on first use: the pool's way to its first worker's start binds no logging. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(CrashReports.class);
  }
}
