package io.github.multiproc;

/**
 * Receives a pool's {@link PoolEvent}s, for monitoring and alerting. Every backend's builder takes
 * one ({@code ThreadPool.builder().eventListener(...)}, {@code VirtualThreadPool},
 * {@code ProcessPool}, {@code ClusterPool}); {@link PoolEvent} lists which events each reports.
 *
 * {@snippet :
 * PoolEventListener log = event -> LOG.info("pool event: {}", event);
 * try (Pool pool = ThreadPool.builder().workers(4).eventListener(log).build()) { ... }
 * }
 *
 * <p><b>Threading.</b> Events are delivered one at a time, in the order the pool saw them, on one
 * thread per pool ({@code multiproc-events-n}), never under a pool lock and never on a thread that
 * runs tasks; a slow listener delays only later events. An exception thrown by the listener is
 * logged and ignored. Events that happened before {@code close()} returns are delivered before it
 * returns.
 *
 * <p><b>Memory consistency effects.</b> What the pool did before it emitted an event
 * <i>happens-before</i> the listener is called with it.
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
