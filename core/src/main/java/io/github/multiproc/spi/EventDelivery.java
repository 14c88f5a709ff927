package io.github.multiproc.spi;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolEventListener;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a pool's {@link PoolEvent}s to its {@link PoolEventListener} in order, on one thread
 * ({@code multiproc-events-n}), so the listener never runs under a pool lock nor on a thread that
 * runs tasks or reads a worker. A backend makes one per pool and closes it when the pool closes.
 *
 * {@snippet :
 * EventDelivery events = EventDelivery.of(builder.listener);   // null listener: a no-op, no thread
 * if (events.enabled()) {                                        // skip building events nobody reads
 *   events.emit(new PoolEvent.TaskFailed(pid, index, failure));
 * }
 * events.close();                                                // in doClose(), after the last event
 * }
 *
 * <p>Without a listener it does nothing and starts no thread. A listener that throws is logged
 * (WARN) and the next event is delivered as usual. Events emitted after {@link #close()} are
 * dropped (logged at DEBUG).
 *
 * <p><b>Thread safety.</b> Thread-safe: any thread may emit. <b>Memory consistency effects:</b>
 * actions of a thread before it emits an event <i>happen-before</i> the listener is called with
 * it.
 *
 * @since 0.1
 */
public final class EventDelivery {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
  }
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(5);
  private static final EventDelivery NONE = new EventDelivery(null);

  private final PoolEventListener listener;
  private final ExecutorService thread;

  private EventDelivery(PoolEventListener listener) {
    this.listener = listener;
    this.thread = listener == null ? null : Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("multiproc-events-" + IDS.incrementAndGet()).factory());
  }

  /**
   * Returns a delivery to {@code listener}, or a shared no-op one if it is null.
   *
   * @param listener the listener, or null
   * @return the delivery; close it when the pool closes
   */
  public static EventDelivery of(PoolEventListener listener) {
    return listener == null ? NONE : new EventDelivery(listener);
  }

  /** {@return whether a listener receives events (callers may skip building them otherwise)} */
  public boolean enabled() {
    return thread != null;
  }

  /**
   * Queues an event for the listener; never blocks.
   *
   * @param event the event
   */
  public void emit(PoolEvent event) {
    if (thread == null) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          Log.LOG.warn("the pool event listener threw on {}; ignored", event, e);
        }
      });
    } catch (RejectedExecutionException e) {
      Log.LOG.debug("event after close dropped: {}", event);
    }
  }

  /**
   * Delivers what is queued (waiting up to a few seconds), then stops the thread. If the caller
   * is interrupted, queued events are dropped and its interrupt status is kept.
   */
  public void close() {
    if (thread == null) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        Log.LOG.warn("the pool event listener did not take its last events within {}", DRAIN_WAIT);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt(); // keep the caller's status
    }
  }
}
