package io.github.multiproc.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times a whole program as a user meets it, like {@code /usr/bin/time} but for the whole process
 * tree: wall time until the program's main process exits, and user + system CPU of the program
 * and of every process it started (workers, a fork server, a background AOT training), even those
 * that outlive it.
 *
 * <p>A small C helper (built here with {@code gcc}, like the memcpy baseline) makes itself a
 * child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)}), so that orphaned descendants are
 * re-parented to it, forks and execs the program, reaps every descendant until none is left, then
 * reads {@code getrusage(RUSAGE_CHILDREN)}: the CPU of the whole tree, whatever waited for whom.
 * Without {@code gcc} only the wall time is measured (CPU is reported as NaN).
 *
 * <p>Not thread-safe: one program at a time.
 */
final class ProcessTreeTimer implements AutoCloseable {

  private static final String SOURCE = """
      #define _GNU_SOURCE
      #include <errno.h>
      #include <stdio.h>
      #include <sys/prctl.h>
      #include <sys/resource.h>
      #include <sys/wait.h>
      #include <time.h>
      #include <unistd.h>
      static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
      static double ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }
      int main(int argc, char **argv) {
        if (argc < 3) { fprintf(stderr, "usage: treetime <report file> <command...>\\n"); return 2; }
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        alarm(600);
        double t0 = now(), t1 = -1;
        pid_t main_pid = fork();
        if (main_pid < 0) { perror("fork"); return 2; }
        if (main_pid == 0) { execvp(argv[2], argv + 2); perror("exec"); _exit(127); }
        int status, code = -1;
        for (;;) {
          pid_t p = waitpid(-1, &status, 0);
          if (p < 0) { if (errno == EINTR) continue; break; }
          if (p == main_pid) { t1 = now(); code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }
        }
        double t2 = now();
        struct rusage ru; getrusage(RUSAGE_CHILDREN, &ru);
        FILE *f = fopen(argv[1], "w");
        if (!f) { perror("report"); return 2; }
        fprintf(f, "exit=%d wall_ms=%.3f tree_wall_ms=%.3f user_ms=%.3f sys_ms=%.3f\\n", code, t1 - t0, t2 - t0,
            ms(ru.ru_utime), ms(ru.ru_stime));
        fclose(f);
        return code;
      }
      """;

  private static final Pattern REPORT = Pattern.compile(
      "exit=(-?\\d+) wall_ms=([0-9.]+) tree_wall_ms=([0-9.]+) user_ms=([0-9.]+) sys_ms=([0-9.]+)");

  /**
   * One program run.
   *
   * @param wallMillis from start until the program's main process exited (what a shell waits for)
   * @param treeWallMillis until the last process of its tree exited
   * @param cpuMillis user + system CPU of the whole tree, NaN when not measured
   * @param output what the program printed on stdout
   */
  record Run(double wallMillis, double treeWallMillis, double cpuMillis, String output) {}

  private final Path dir;
  private final Path helper; // null without gcc

  private ProcessTreeTimer(Path dir, Path helper) {
    this.dir = dir;
    this.helper = helper;
  }

  /** Builds the helper with gcc; without gcc the timer measures wall time only (and says so). */
  static ProcessTreeTimer build() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("multiproc-bench-treetime");
    Path source = dir.resolve("treetime.c");
    Path binary = dir.resolve("treetime");
    Files.writeString(source, SOURCE);
    try {
      Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString()).inheritIO().start();
      if (gcc.waitFor() == 0) {
        return new ProcessTreeTimer(dir, binary);
      }
    } catch (IOException e) {
      System.err.println("no gcc: whole-program CPU is not measured (" + e.getMessage() + ")");
    }
    return new ProcessTreeTimer(dir, null);
  }

  /**
   * Runs a program to its end, with its whole process tree.
   *
   * @param command the program
   * @param environment extra environment variables
   * @return the times and its stdout
   * @throws IOException if it cannot run or exits with a failure
   * @throws InterruptedException if interrupted
   */
  Run run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
    Path report = dir.resolve("report.txt");
    Files.deleteIfExists(report);
    List<String> full = new ArrayList<>();
    if (helper != null) {
      full.add(helper.toString());
      full.add(report.toString());
    }
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(environment);
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    double javaWall = (System.nanoTime() - t0) / 1e6;
    if (code != 0) {
      throw new IOException("exit " + code + ": " + command + "\n" + out);
    }
    if (helper == null) {
      return new Run(javaWall, javaWall, Double.NaN, out);
    }
    Matcher m = REPORT.matcher(Files.readString(report).strip());
    if (!m.matches()) {
      throw new IOException("unreadable timer report for " + command);
    }
    return new Run(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(5)), out);
  }

  @Override
  public void close() throws IOException {
    for (Path p : List.of(dir.resolve("report.txt"), dir.resolve("treetime"), dir.resolve("treetime.c"), dir)) {
      Files.deleteIfExists(p);
    }
  }
}
