package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.WorkerOutput;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a worker's output lines to where {@link WorkerOutput} says, attributed to its pid.
 *
 * <p>Thread-safe: each line is one call on a thread-safe stream or logger. {@code System.out} and
 * {@code System.err} are looked up per line, so a caller that replaces them sees the output.
 */
final class OutputSink {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class WorkerLog {
    static final Logger LOG = LoggerFactory.getLogger("io.github.multiproc.processpool.worker");
  }

  private final WorkerOutput mode;

  OutputSink(WorkerOutput mode) {
    this.mode = mode;
  }

  void stdout(long pid, String line) {
    switch (mode) {
      case INHERIT -> print(System.out, pid, line);
      case LOG -> WorkerLog.LOG.info("[worker {}] {}", pid, line);
      case DISCARD -> { }
    }
  }

  void stderr(long pid, String line) {
    switch (mode) {
      case INHERIT -> print(System.err, pid, line);
      case LOG -> WorkerLog.LOG.warn("[worker {}] {}", pid, line);
      case DISCARD -> { }
    }
  }

  private static void print(PrintStream out, long pid, String line) {
    out.println("[worker " + pid + "] " + line);
  }
}
