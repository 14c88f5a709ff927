package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.codec.Codec;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shared object as a caller sees it: its reference, the interface the caller uses
 * ({@code visible}: {@link java.util.concurrent.ConcurrentMap}, {@link java.util.List} or the
 * registered interface), the method table of the interface the manager serves it through (which
 * extends the visible one), and the codec for its results. Methods are looked up in the table
 * once each.
 *
 * <p>Thread safety: thread-safe.
 */
final class Target {

  final ObjectRef ref;
  final Class<?> visible;
  final MethodTable table;
  final Codec results;
  /** This JVM's connections to the object's manager, looked up once. */
  final Clients clients;
  private final ConcurrentHashMap<Method, Integer> indexes = new ConcurrentHashMap<>();

  Target(ObjectRef ref, Class<?> visible, Class<?> served) {
    this.ref = ref;
    this.visible = visible;
    this.table = MethodTable.of(served);
    if (table.fingerprint() != ref.fingerprint()) {
      throw new ManagerException("interface " + served.getName() + " differs between this JVM and "
          + ref.manager().describe() + " (its methods are not the same): run both on the same class path", null);
    }
    this.results = ManagerCodecs.client(ref.manager()).allowingPackageOf(visible);
    this.clients = Clients.of(ref.manager());
  }

  /** {@return the index of a method of the visible interface in the served table} */
  int indexOf(Method m) {
    Integer i = indexes.get(m);
    if (i == null) {
      i = table.indexOf(m);
      indexes.put(m, i);
    }
    return i;
  }

  /**
   * Finds the shared object behind a proxy that a manager handed out.
   *
   * @param proxy a proxy
   * @return its target
   * @throws IllegalArgumentException if it is not a manager's proxy
   */
  static Target of(Object proxy) {
    if (proxy instanceof RemoteMap<?, ?> m) {
      return m.target();
    }
    if (proxy instanceof RemoteList<?> l) {
      return l.target();
    }
    if (proxy != null && Proxy.isProxyClass(proxy.getClass()) && Proxy.getInvocationHandler(proxy) instanceof ProxyHandler h) {
      return h.target();
    }
    throw new IllegalArgumentException("not a proxy of a manager's object: "
        + (proxy == null ? "null" : proxy.getClass().getName()));
  }
}
