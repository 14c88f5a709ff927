package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.PoolEvent;
import io.github.multiproc.processpool.PoolEventListener;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a pool's events to its listener in order, on one thread ({@code multiproc-events-n}),
 * so the listener never runs under a pool lock nor on a worker's reader thread. Without a
 * listener it does nothing and starts no thread. Thread-safe.
 */
final class Events {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(5);

  private final PoolEventListener listener;
  private final ExecutorService thread;

  Events(PoolEventListener listener) {
    this.listener = listener;
    this.thread = listener == null ? null : Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("multiproc-events-" + IDS.incrementAndGet()).factory());
  }

  /** @return whether a listener receives events (callers may skip building them otherwise) */
  boolean enabled() {
    return thread != null;
  }

  void emit(PoolEvent event) {
    if (thread == null) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("the pool event listener threw on {}; ignored", event, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("event after close dropped: {}", event);
    }
  }

  /** Delivers what is queued (up to a few seconds), then stops the thread. */
  void close() {
    if (thread == null) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the pool event listener did not take its last events within {}", DRAIN_WAIT);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt(); // keep the caller's status
    }
  }
}
