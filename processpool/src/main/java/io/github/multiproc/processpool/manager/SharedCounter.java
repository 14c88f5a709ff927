package io.github.multiproc.processpool.manager;

/**
 * A {@code long} held by a {@link Manager}, shared by every process that holds its proxy: the
 * counterpart of Python's {@code manager.Value('i', 0)} with the arithmetic done inside the
 * manager, so increments from many processes never get lost.
 *
 * {@snippet :
 * try (Manager manager = Manager.start(); Pool pool = ProcessPool.create(4)) {
 *   SharedCounter hits = manager.counter("hits");
 *   pool.map(x -> hits.incrementAndGet(), List.of(1, 2, 3, 4));
 *   hits.get();                      // 4
 * }
 * }
 *
 * <p>Thread safety: every method is atomic, whichever process or thread calls it; a call's
 * effects are visible to every call that starts after it returned.
 *
 * @since 0.2
 */
public interface SharedCounter {

  /** {@return the current value} */
  long get();

  /**
   * Sets the value.
   *
   * @param value the new value
   */
  void set(long value);

  /** {@return the value after adding one} */
  long incrementAndGet();

  /**
   * Adds to the value.
   *
   * @param delta what to add, may be negative
   * @return the value after adding
   */
  long addAndGet(long delta);

  /**
   * Adds to the value.
   *
   * @param delta what to add, may be negative
   * @return the value before adding
   */
  long getAndAdd(long delta);

  /**
   * Sets the value if it is the expected one.
   *
   * @param expected the value it must have
   * @param value the new value
   * @return whether it was set
   */
  boolean compareAndSet(long expected, long value);
}
