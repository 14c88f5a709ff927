package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a POSIX signal to a process through {@code kill(1)}, for what {@link ProcessHandle}
 * cannot do ({@code SIGSTOP}, {@code SIGCONT}, a {@code SIGKILL} to oneself). Used by fault
 * injection only. Stateless.
 */
public final class Signals {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Signals.class);
  }

  private Signals() {}

  /**
   * Stops {@code pid} ({@code SIGSTOP}) and waits, up to a second, until Linux reports it stopped,
   * so that a frozen worker cannot answer one more frame. Elsewhere it only sends the signal.
   *
   * @param pid the process
   */
  public static void stop(long pid) {
    if (!send(pid, "STOP")) {
      return;
    }
    java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
    long end = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < end) {
      try {
        String s = java.nio.file.Files.readString(stat);
        char state = s.charAt(s.lastIndexOf(')') + 2);
        if (state == 'T' || state == 't' || state == 'Z') {
          return;
        }
      } catch (IOException | RuntimeException e) {
        return; // no /proc (not Linux) or the process is gone
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // bounded wait, fault injection only
    }
  }

  /**
   * Sends {@code signal} to {@code pid} and waits for {@code kill} to finish.
   *
   * @param pid the process
   * @param signal the name without {@code SIG}, such as {@code "STOP"}
   * @return whether {@code kill} succeeded
   */
  public static boolean send(long pid, String signal) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      Log.LOG.warn("cannot send SIG{} to {}: {}", signal, pid, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // keep the status; the signal may not have been sent
      return false;
    }
  }

  /**
   * Names a signal for messages.
   *
   * @param signal the signal number
   * @return e.g. {@code SIGKILL}, or {@code signal N} for one without a common name
   */
  static String name(int signal) {
    return switch (signal) {
      case 1 -> "SIGHUP";
      case 2 -> "SIGINT";
      case 6 -> "SIGABRT";
      case 9 -> "SIGKILL";
      case 11 -> "SIGSEGV";
      case 15 -> "SIGTERM";
      default -> "signal " + signal;
    };
  }
}
