package io.github.multiproc.processpool.manager;

import java.io.Serial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The manager's own implementations of the built-in shared types. They run in the manager only,
 * each call under its object's lock ({@link ServedObjects}).
 */
final class ServedImpls {

  private ServedImpls() {}

  /**
   * The shared map: a {@link ConcurrentHashMap} (no null keys or values, as its contract says).
   *
   * @param <K> keys
   * @param <V> values
   */
  static final class SharedMap<K, V> extends ConcurrentHashMap<K, V> implements MapService<K, V> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public HashMap<K, V> snapshot() {
      return new HashMap<>(this);
    }
  }

  /**
   * The shared list: an {@link ArrayList}.
   *
   * @param <E> elements
   */
  static final class SharedList<E> extends ArrayList<E> implements ListService<E> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public ArrayList<E> snapshot() {
      return new ArrayList<>(this);
    }
  }

  /** The shared counter. Its lock is the manager's per-object lock. */
  static final class Counter implements SharedCounter {
    private long value;

    @Override
    public long get() {
      return value;
    }

    @Override
    public void set(long v) {
      value = v;
    }

    @Override
    public long incrementAndGet() {
      return ++value;
    }

    @Override
    public long addAndGet(long delta) {
      value += delta;
      return value;
    }

    @Override
    public long getAndAdd(long delta) {
      long before = value;
      value += delta;
      return before;
    }

    @Override
    public boolean compareAndSet(long expected, long v) {
      if (value != expected) {
        return false;
      }
      value = v;
      return true;
    }
  }
}
