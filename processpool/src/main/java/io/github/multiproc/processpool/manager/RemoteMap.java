package io.github.multiproc.processpool.manager;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The proxy of a shared map ({@link Manager#map}): a {@link ConcurrentMap} whose every method is
 * one call to the manager, atomic there. {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent}, {@code merge} and {@code replaceAll} run their function inside the
 * manager, so the function must be serializable (a cast such as
 * {@code (BiFunction<String, Integer, Integer> & Serializable) (k, v) -> v + 1}). Iteration, the
 * views' iterators, {@code equals}, {@code hashCode}, {@code toString} and {@code forEach} work
 * on a copy taken in one call; removing through an iterator, or {@code setValue} on an entry,
 * calls the manager. No null keys or values, as {@link java.util.concurrent.ConcurrentHashMap}.
 *
 * <p>Serializable: it travels as its {@link ObjectRef}. Thread-safe.
 *
 * @param <K> keys
 * @param <V> values
 */
final class RemoteMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final MethodTable T = MethodTable.of(MapService.class);
  private static final int GET = T.indexOf("get", Object.class);
  private static final int PUT = T.indexOf("put", Object.class, Object.class);
  private static final int REMOVE = T.indexOf("remove", Object.class);
  private static final int REMOVE_VALUE = T.indexOf("remove", Object.class, Object.class);
  private static final int CONTAINS_KEY = T.indexOf("containsKey", Object.class);
  private static final int CONTAINS_VALUE = T.indexOf("containsValue", Object.class);
  private static final int SIZE = T.indexOf("size");
  private static final int IS_EMPTY = T.indexOf("isEmpty");
  private static final int CLEAR = T.indexOf("clear");
  private static final int PUT_IF_ABSENT = T.indexOf("putIfAbsent", Object.class, Object.class);
  private static final int REPLACE = T.indexOf("replace", Object.class, Object.class);
  private static final int REPLACE_IF = T.indexOf("replace", Object.class, Object.class, Object.class);
  private static final int GET_OR_DEFAULT = T.indexOf("getOrDefault", Object.class, Object.class);
  private static final int COMPUTE = T.indexOf("compute", Object.class, BiFunction.class);
  private static final int COMPUTE_IF_ABSENT = T.indexOf("computeIfAbsent", Object.class, Function.class);
  private static final int COMPUTE_IF_PRESENT = T.indexOf("computeIfPresent", Object.class, BiFunction.class);
  private static final int MERGE = T.indexOf("merge", Object.class, Object.class, BiFunction.class);
  private static final int REPLACE_ALL = T.indexOf("replaceAll", BiFunction.class);
  private static final int SNAPSHOT = T.indexOf("snapshot");

  private final CollectionRef ref;

  RemoteMap(ObjectRef ref) {
    this.ref = new CollectionRef(ref, CollectionRef.Kind.MAP);
  }

  Target target() {
    return ref.target();
  }

  private Object call(int method, String name, Object... args) {
    return ref.call(method, name, args);
  }

  @SuppressWarnings("unchecked")
  private V value(Object o) {
    return (V) o;
  }

  @Override
  public V get(Object key) {
    return value(call(GET, "get", key));
  }

  @Override
  public V put(K key, V value) {
    return value(call(PUT, "put", key, value));
  }

  @Override
  public V remove(Object key) {
    return value(call(REMOVE, "remove", key));
  }

  @Override
  public boolean remove(Object key, Object value) {
    return (Boolean) call(REMOVE_VALUE, "remove", key, value);
  }

  @Override
  public boolean containsKey(Object key) {
    return (Boolean) call(CONTAINS_KEY, "containsKey", key);
  }

  @Override
  public boolean containsValue(Object value) {
    return (Boolean) call(CONTAINS_VALUE, "containsValue", value);
  }

  @Override
  public int size() {
    return (Integer) call(SIZE, "size");
  }

  @Override
  public boolean isEmpty() {
    return (Boolean) call(IS_EMPTY, "isEmpty");
  }

  @Override
  public void clear() {
    call(CLEAR, "clear");
  }

  /**
   * Every entry in one round trip: a batch of {@code put}s (each atomic, as
   * {@link java.util.concurrent.ConcurrentHashMap#putAll} is per entry), whose keys and values
   * travel in the fast-path encoding rather than as one serialized {@link HashMap} (JDK
   * serialization of a map costs ~1 µs per entry each way). Stops at the first entry that fails,
   * as {@code putAll} does.
   */
  @Override
  public void putAll(Map<? extends K, ? extends V> m) {
    if (m.isEmpty()) {
      return;
    }
    Target t = target();
    java.util.List<CallWire.Encoded> puts = new java.util.ArrayList<>(m.size());
    for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
      puts.add(CallWire.encode(t.ref.id(), PUT, new Object[] {e.getKey(), e.getValue()}, t.results));
    }
    for (byte[] answer : CallWire.splitBatchAnswer(t.clients.roundTrip(CallWire.batch(puts)))) {
      if (answer[0] == CallWire.FAILURE) {
        Throwable f = Invoker.rethrowable(CallWire.read(answer, t.results).failure(), new Class<?>[0],
            "putAll on " + t.ref.describe());
        if (f instanceof RuntimeException r) {
          throw r;
        }
        if (f instanceof Error err) {
          throw err;
        }
        throw new ManagerCallException("putAll on " + t.ref.describe() + " threw " + f, f);
      }
    }
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return value(call(PUT_IF_ABSENT, "putIfAbsent", key, value));
  }

  @Override
  public V replace(K key, V value) {
    return value(call(REPLACE, "replace", key, value));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return (Boolean) call(REPLACE_IF, "replace", key, oldValue, newValue);
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    return value(call(GET_OR_DEFAULT, "getOrDefault", key, defaultValue));
  }

  @Override
  public V compute(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
    return value(call(COMPUTE, "compute", key, fn));
  }

  @Override
  public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
    return value(call(COMPUTE_IF_ABSENT, "computeIfAbsent", key, fn));
  }

  @Override
  public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> fn) {
    return value(call(COMPUTE_IF_PRESENT, "computeIfPresent", key, fn));
  }

  @Override
  public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> fn) {
    return value(call(MERGE, "merge", key, value, fn));
  }

  @Override
  public void replaceAll(BiFunction<? super K, ? super V, ? extends V> fn) {
    call(REPLACE_ALL, "replaceAll", fn);
  }

  /** {@return a copy of the whole map, in one call} */
  @SuppressWarnings("unchecked")
  HashMap<K, V> snapshot() {
    return (HashMap<K, V>) call(SNAPSHOT, "snapshot");
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new EntrySet();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Map<?, ?> m && snapshot().equals(m);
  }

  @Override
  public int hashCode() {
    return snapshot().hashCode();
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /** The entries: iterated on a copy, changed through the manager. */
  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public Iterator<Entry<K, V>> iterator() {
      Iterator<Entry<K, V>> copy = snapshot().entrySet().iterator();
      return new Iterator<>() {
        private Entry<K, V> last;

        @Override
        public boolean hasNext() {
          return copy.hasNext();
        }

        @Override
        public Entry<K, V> next() {
          Entry<K, V> e = copy.next();
          last = e;
          return new SimpleEntry<>(e) {
            @Serial private static final long serialVersionUID = 1L;

            @Override
            public V setValue(V v) {
              super.setValue(v);
              return put(getKey(), v);
            }
          };
        }

        @Override
        public void remove() {
          if (last == null) {
            throw new IllegalStateException("next() was not called, or remove() was called already");
          }
          RemoteMap.this.remove(last.getKey());
          last = null;
        }
      };
    }

    @Override
    public int size() {
      return RemoteMap.this.size();
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Entry<?, ?> e) || e.getKey() == null) {
        return false;
      }
      Object v = get(e.getKey());
      return v != null && v.equals(e.getValue());
    }

    @Override
    public boolean remove(Object o) {
      return o instanceof Entry<?, ?> e && e.getKey() != null && e.getValue() != null
          && RemoteMap.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      RemoteMap.this.clear();
    }
  }
}
