package io.github.multiproc.processpool;

/**
 * Receives a {@link ProcessPool}'s {@link PoolEvent}s, for monitoring and alerting. Set it with
 * {@link ProcessPool.Builder#eventListener}.
 *
 * {@snippet :
 * PoolEventListener log = event -> LOG.info("pool event: {}", event);
 * }
 *
 * <p>Events are delivered one at a time, in the order the pool saw them, on one thread per pool
 * ({@code multiproc-events-n}), never under a pool lock; a slow listener delays only later events.
 * An exception thrown by the listener is logged and ignored. Events before {@code close()} returns
 * are delivered before it returns.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PoolEventListener {

  /**
   * Called once per event.
   *
   * @param event the event
   */
  void onEvent(PoolEvent event);
}
