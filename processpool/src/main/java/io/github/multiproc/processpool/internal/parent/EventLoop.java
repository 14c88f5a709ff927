package io.github.multiproc.processpool.internal.parent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process pool's one event-loop thread ({@code multiproc-pool-n}): applies every event, in
 * the order posted, and after each one runs the given follow-up (the pool publishes its stats
 * snapshot). An event that throws is logged and the loop goes on; an event posted after
 * {@link #shutdown} is dropped.
 *
 * <p>Thread safety: {@link #post} and {@link #shutdown} may be called from any thread.
 */
final class EventLoop {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  }

  private final ExecutorService loop;
  private final Runnable afterEach;

  /**
   * @param poolNumber the pool's number, for the thread's name
   * @param afterEach run on the loop after each event
   */
  EventLoop(int poolNumber, Runnable afterEach) {
    this.loop = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("multiproc-pool-" + poolNumber)
        .factory());
    this.afterEach = afterEach;
  }

  /**
   * Applies an event on the loop, after those posted before it.
   *
   * @param event the event
   */
  void post(Runnable event) {
    try {
      loop.execute(() -> {
        try {
          event.run();
          afterEach.run();
        } catch (RuntimeException | Error e) {
          Log.LOG.error("the process pool's event loop failed on an event; the pool goes on", e);
        }
      });
    } catch (RejectedExecutionException e) {
      Log.LOG.debug("event after the pool stopped: dropped");
    }
  }

  /** Applies the events already posted (they may still emit pool events), then ends the thread; waits up to 5 s. */
  void shutdown() {
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        Log.LOG.warn("the process pool's event loop did not finish its last events within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
