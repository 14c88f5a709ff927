package io.github.multiproc.processpool.manager;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The behaviour of a proxy of a registered interface: every method of the interface (default
 * methods too, so they run atomically in the manager) becomes a call ({@link Invoker});
 * {@code equals}, {@code hashCode} and {@code toString} are answered here from the object's
 * reference; {@link ManagedProxy#writeReplace()} gives the proxy's serial form.
 *
 * <p>Thread safety: thread-safe.
 */
final class ProxyHandler implements InvocationHandler {

  private final Target target;

  private ProxyHandler(Target target) {
    this.target = target;
  }

  /**
   * Makes a proxy.
   *
   * @param ref the object
   * @param type its interface, which the caller's class loader resolved
   * @param <T> the interface
   * @return the proxy, which also implements {@link ManagedProxy}
   */
  static <T> T create(ObjectRef ref, Class<T> type) {
    ProxyHandler h = new ProxyHandler(new Target(ref, type, type));
    ClassLoader loader = type.getClassLoader() == null ? ManagedProxy.class.getClassLoader() : type.getClassLoader();
    return type.cast(Proxy.newProxyInstance(loader, new Class<?>[] {type, ManagedProxy.class}, h));
  }

  Target target() {
    return target;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
            && Proxy.getInvocationHandler(args[0]) instanceof ProxyHandler other && other.target.ref.equals(target.ref);
        case "hashCode" -> target.ref.hashCode();
        default -> "proxy of " + target.ref.describe();
      };
    }
    if (method.getDeclaringClass() == ManagedProxy.class) {
      return new SerialProxy(target.ref);
    }
    return Invoker.call(target, target.indexOf(method), method.getName(), args, method.getExceptionTypes(),
        target.results);
  }
}
