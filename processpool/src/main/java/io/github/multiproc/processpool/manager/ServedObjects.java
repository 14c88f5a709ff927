package io.github.multiproc.processpool.manager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a manager holds, by name and by id, and the factories of the types it can make;
 * and the one place a method runs on an object: under that object's lock, so every call from
 * every process is atomic per method. Id 0 is this registry itself.
 *
 * <p>Thread safety: thread-safe. {@link #open} and {@link #register} take this object's lock;
 * {@link #get} reads a volatile array (copied on every new object), so calls never wait for an
 * open.
 */
final class ServedObjects implements Registry {

  /** One object the manager holds. */
  static final class Served {
    final int id;
    final String name;
    final MethodTable table;
    final Object target;
    private final Object lock = new Object();

    Served(int id, String name, MethodTable table, Object target) {
      this.id = id;
      this.name = name;
      this.table = table;
      this.target = target;
    }

    /**
     * Runs a method on the object under its lock.
     *
     * @param method its index, or {@link CallWire#APPLY}
     * @param args the arguments
     * @return the result
     * @throws Throwable what the method threw
     */
    Object invoke(int method, Object[] args) throws Throwable {
      synchronized (lock) {
        if (method == CallWire.APPLY) {
          if (args.length != 1 || !(args[0] instanceof SharedFunction<?, ?> f)) {
            throw new IllegalArgumentException("an atomic update takes one SharedFunction: got " + args.length
                + " argument(s)");
          }
          @SuppressWarnings("unchecked")
          SharedFunction<Object, Object> fn = (SharedFunction<Object, Object>) f;
          return fn.apply(target);
        }
        Method m = table.method(method);
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
  }

  private final ClassLoader loader;
  private final Map<String, SharedSupplier<?>> factories = new HashMap<>();
  private final Map<String, Served> byName = new HashMap<>();
  private final List<Served> all = new ArrayList<>();
  private volatile Served[] byId;

  /**
   * Creates the registry with the built-in types.
   *
   * @param loader where the types' interfaces are loaded from
   */
  ServedObjects(ClassLoader loader) {
    this.loader = loader;
    factories.put(MapService.class.getName(), ServedImpls.SharedMap::new);
    factories.put(ListService.class.getName(), ServedImpls.SharedList::new);
    factories.put(SharedCounter.class.getName(), ServedImpls.Counter::new);
    Served self = new Served(0, "registry", MethodTable.of(Registry.class), this);
    all.add(self);
    byId = new Served[] {self};
  }

  /**
   * Registers a factory for an interface.
   *
   * @param type the interface's binary name
   * @param factory makes each new object
   */
  synchronized void register(String type, SharedSupplier<?> factory) {
    factories.put(type, factory);
  }

  @Override
  public synchronized int[] open(String type, String name) {
    Served s = byName.get(name);
    if (s != null) {
      if (!s.table.type().getName().equals(type)) {
        throw new IllegalArgumentException("the manager holds '" + name + "' as a " + s.table.type().getName()
            + ", not a " + type);
      }
      return new int[] {s.id, s.table.fingerprint()};
    }
    SharedSupplier<?> factory = factories.get(type);
    if (factory == null) {
      throw new IllegalArgumentException("type " + type + " was never registered with this manager; call"
          + " manager.register(" + type.substring(type.lastIndexOf('.') + 1) + ".class, Impl::new) first");
    }
    Class<?> iface;
    try {
      iface = Class.forName(type, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("the manager cannot load " + type + " (is it on the owner's class path?)", e);
    }
    Object target = factory.get();
    if (!iface.isInstance(target)) {
      throw new IllegalArgumentException("the factory of " + type + " made a "
          + (target == null ? "null" : target.getClass().getName()) + ", which does not implement it");
    }
    Served made = new Served(all.size(), name, MethodTable.of(iface), target);
    all.add(made);
    byName.put(name, made);
    byId = all.toArray(new Served[0]);
    return new int[] {made.id, made.table.fingerprint()};
  }

  /**
   * The object with an id.
   *
   * @param id what a call named
   * @return the object
   * @throws IllegalArgumentException if the manager holds no such object
   */
  Served get(int id) {
    Served[] a = byId;
    if (id < 0 || id >= a.length) {
      throw new IllegalArgumentException("the manager holds no object with id " + id + " (it holds " + a.length + ")");
    }
    return a[id];
  }
}
