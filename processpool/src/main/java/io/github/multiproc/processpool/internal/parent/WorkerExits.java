package io.github.multiproc.processpool.internal.parent;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops worker processes and waits for them to exit: all of a pool's at its close, or those
 * started for a pool that failed to start. Stateless.
 */
final class WorkerExits {

  /** How long a stopped or killed worker is given to exit. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerExits.class);
  }

  private WorkerExits() {}

  /**
   * Stops every worker (SHUTDOWN, or SIGKILL if {@code kill}) and waits until each has exited
   * and its output was forwarded, killing any that does not exit within {@link #EXIT_WAIT}.
   *
   * @param workers the workers
   * @param kill kill at once
   * @throws InterruptedException if interrupted; every worker is killed first
   */
  static void stopAll(List<WorkerProcess> workers, boolean kill) throws InterruptedException {
    for (WorkerProcess w : workers) {
      if (kill) {
        w.kill();
      } else {
        w.shutdown();
      }
    }
    try {
      for (WorkerProcess w : workers) {
        ProcessHandle h = w.handle();
        if (!w.awaitExit(EXIT_WAIT)) {
          Log.LOG.warn("worker {} did not exit within {}; killing it", h.pid(), EXIT_WAIT);
          w.kill();
          w.awaitExit(EXIT_WAIT);
        }
        w.awaitOutput(EXIT_WAIT); // its last output lines are forwarded before close returns
      }
    } catch (InterruptedException e) {
      workers.forEach(WorkerProcess::kill);
      throw e;
    }
  }

  /**
   * Kills every worker and waits up to {@link #EXIT_WAIT} for each to exit; if interrupted,
   * restores the status and returns.
   *
   * @param workers the workers
   */
  static void killAll(List<WorkerProcess> workers) {
    for (WorkerProcess w : workers) {
      w.kill();
    }
    for (WorkerProcess w : workers) {
      try {
        w.awaitExit(EXIT_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
