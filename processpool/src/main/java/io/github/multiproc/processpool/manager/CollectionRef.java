package io.github.multiproc.processpool.manager;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;

/**
 * What a map or list proxy holds and sends: the object's reference, which kind of collection it
 * is, and (made on first use in each JVM, never serialized) its {@link Target}; and the one way
 * those proxies call the manager.
 *
 * <p>Thread safety: thread-safe; two threads may both make the target once, which is harmless.
 */
final class CollectionRef implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The built-in collections: the interface callers see, and the one the manager serves. */
  enum Kind {
    MAP(ConcurrentMap.class, MapService.class),
    LIST(List.class, ListService.class);

    final Class<?> visible;
    final Class<?> served;

    Kind(Class<?> visible, Class<?> served) {
      this.visible = visible;
      this.served = served;
    }
  }

  private final ObjectRef ref;
  private final Kind kind;
  private transient volatile Target target;

  CollectionRef(ObjectRef ref, Kind kind) {
    this.ref = Objects.requireNonNull(ref, "ref");
    this.kind = Objects.requireNonNull(kind, "kind");
    target(); // checks the method table's fingerprint at once
  }

  /** {@return the target, made on first use in this JVM} */
  Target target() {
    Target t = target;
    if (t == null) {
      t = new Target(ref, kind.visible, kind.served);
      target = t;
    }
    return t;
  }

  /**
   * Calls a method of the collection in the manager.
   *
   * @param method its index in the served table
   * @param name its name, for messages
   * @param args its arguments
   * @return the result
   */
  Object call(int method, String name, Object... args) {
    Target t = target();
    return Invoker.callUnchecked(t, method, name, args, t.results);
  }
}
