package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.WorkerOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;

/**
 * A server JVM that holds objects for other processes, Python's {@code multiprocessing.Manager()}:
 * shared maps, lists and counters, and objects of any interface you register, each used from any
 * process through a typed proxy.
 *
 * {@snippet :
 * try (Manager manager = Manager.start();
 *      Pool pool = ProcessPool.create(4)) {
 *   ConcurrentMap<String, Integer> lengths = manager.map("lengths");
 *   pool.map(word -> lengths.put(word, word.length()), List.of("a", "bb", "ccc"));
 *   lengths.get("ccc");                                   // 3, written by a worker
 *
 *   manager.register(Inventory.class, InventoryImpl::new);
 *   Inventory stock = manager.create(Inventory.class, "stock");
 *   pool.submit(() -> stock.add("apple", 5)).join();      // runs in the manager, atomically
 * }
 * }
 *
 * <p><b>Proxies.</b> {@link #map}, {@link #list}, {@link #counter} and {@link #create} return
 * proxies: small serializable handles that hold the manager's address and secret, not the
 * object. Pass one in a task, a {@link JvmProcess} job or a {@link Pipe} message and use it
 * there; a name opens the same object from anywhere. Every method call is one round trip to the
 * manager and runs there under the object's lock, so each call is atomic whoever makes it. A
 * compound update runs inside the manager with {@link #atomically}, or with
 * {@code compute}/{@code merge} on a map; many calls travel in one round trip with
 * {@link ManagerBatch}.
 *
 * <p><b>Failures.</b> Arguments that do not serialize fail at the caller, naming the class and
 * field path; a method's exception is rethrown at the caller with its remote stack trace
 * ({@link Invoker} says exactly how); once the manager is gone (closed, killed, or its owner
 * died) every call fails at once with {@link ManagerGoneException}. Only this JVM and the
 * processes it handed a proxy to can connect: the manager's socket is in a private directory and
 * a client must present the manager's 256-bit secret, which only proxies carry.
 *
 * <p><b>Lifecycle.</b> {@link #start()} launches the manager's JVM (with the class path, JVM
 * options and output handling of {@link JvmProcess}) and returns once it listens; {@link #close()}
 * ends it, and its objects with it. The manager also ends within 2 s if this JVM dies. A JVM that
 * uses a manager's proxies needs native access for the pipes ({@code --enable-native-access=ALL-UNNAMED};
 * pool workers have it), as for {@link Pipe}.
 *
 * <p><b>Thread safety.</b> Thread-safe: any thread may use the manager and any proxy. A call's
 * effects in the manager happen-before any call that starts after it returned, from any process.
 *
 * @since 0.2
 */
public final class Manager implements AutoCloseable {

  private final ManagerJvm jvm;
  private final ManagerAddress address;

  private Manager(ManagerJvm jvm) {
    this.jvm = jvm;
    this.address = jvm.address();
  }

  /**
   * Starts a manager with the default options.
   *
   * @return the running manager
   * @throws ManagerException if its JVM cannot be started or does not become ready
   */
  public static Manager start() {
    return builder().start();
  }

  /** {@return a builder: name, decode patterns, JVM options, output} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers an interface and how the manager makes its objects; {@link #create} then makes or
   * opens one by name. The factory (a constructor reference will do) is serialized to the manager
   * and called there; the interface's package and the factory's are allowed in calls from then on.
   *
   * @param type an interface
   * @param factory makes a new object of it, in the manager
   * @param <T> the interface
   * @throws IllegalArgumentException if {@code type} is not an interface, or the manager refused
   *     the factory (it does not load there)
   * @throws ManagerGoneException if the manager is gone
   */
  public <T> void register(Class<T> type, SharedSupplier<? extends T> factory) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(factory, "factory");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("a manager serves objects through an interface: " + type.getName()
          + " is a class");
    }
    String failure = jvm.register(type, factory);
    if (!failure.isEmpty()) {
      throw new IllegalArgumentException(address.describe() + " cannot register " + type.getName() + ": " + failure);
    }
  }

  /**
   * Opens the object of a registered interface with this name, making it if there is none.
   *
   * @param type the registered interface
   * @param name the object's name
   * @param <T> the interface
   * @return its proxy, which also implements {@link ManagedProxy}
   * @throws IllegalArgumentException if the type was never registered, or the name holds an
   *     object of another type
   * @throws ManagerGoneException if the manager is gone
   */
  public <T> T create(Class<T> type, String name) {
    return ProxyHandler.create(open(type, name), type);
  }

  /**
   * Opens the shared map with this name, making an empty one if there is none. It is a
   * {@link java.util.concurrent.ConcurrentHashMap} in the manager: no null keys or values.
   *
   * @param name the map's name
   * @param <K> keys
   * @param <V> values
   * @return its proxy; iteration works on a copy, every other method is one atomic call
   * @throws IllegalArgumentException if the name holds an object of another type
   * @throws ManagerGoneException if the manager is gone
   */
  public <K, V> ConcurrentMap<K, V> map(String name) {
    return new RemoteMap<>(open(MapService.class, name));
  }

  /**
   * Opens the shared list with this name, making an empty one if there is none.
   *
   * @param name the list's name
   * @param <E> elements
   * @return its proxy; iteration works on a copy, every other method is one atomic call
   * @throws IllegalArgumentException if the name holds an object of another type
   * @throws ManagerGoneException if the manager is gone
   */
  public <E> List<E> list(String name) {
    return new RemoteList<>(open(ListService.class, name));
  }

  /**
   * Opens the shared counter with this name, making one at zero if there is none.
   *
   * @param name the counter's name
   * @return its proxy
   * @throws IllegalArgumentException if the name holds an object of another type
   * @throws ManagerGoneException if the manager is gone
   */
  public SharedCounter counter(String name) {
    return create(SharedCounter.class, name);
  }

  private ObjectRef open(Class<?> type, String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a shared object's name must not be empty");
    }
    Target registry = new Target(new ObjectRef(address, 0, "registry", Registry.class.getName(),
        MethodTable.of(Registry.class).fingerprint()), Registry.class, Registry.class);
    int[] opened = (int[]) Invoker.callUnchecked(registry, MethodTable.of(Registry.class).indexOf("open",
        String.class, String.class), "open", new Object[] {type.getName(), name}, registry.results);
    return new ObjectRef(address, opened[0], name, type.getName(), opened[1]);
  }

  /**
   * Runs a function on the real object inside the manager, under the object's lock: a compound
   * update no other call can interleave with, from any process (Python's {@code with lock:}
   * around several calls, in one round trip).
   *
   * {@snippet :
   * boolean taken = Manager.atomically(seats, s -> s.remove("12A") != null && s.size() >= 0);
   * int total = Manager.atomically(scores, m -> { m.merge("alice", 1, Integer::sum); return m.size(); });
   * }
   *
   * <p>The function and what it captures are serialized to the manager; it must not call other
   * proxies of the same manager (their calls would wait for this one). Usable in any process that
   * holds the proxy.
   *
   * @param proxy a manager's proxy
   * @param update what to run on the object
   * @param <T> the proxy's interface
   * @param <R> the result
   * @return the function's result, serialized back
   * @throws IllegalArgumentException if {@code proxy} is not a manager's proxy
   * @throws ManagerGoneException if the manager is gone
   */
  @SuppressWarnings("unchecked")
  public static <T, R> R atomically(T proxy, SharedFunction<? super T, ? extends R> update) {
    Target t = Target.of(proxy);
    Objects.requireNonNull(update, "update");
    return (R) Invoker.callUnchecked(t, CallWire.APPLY, "atomically", new Object[] {update},
        t.results.allowingPackageOf(update.getClass()));
  }

  /** {@return the manager's name} */
  public String name() {
    return address.name();
  }

  /** {@return the manager JVM's process id} */
  public long pid() {
    return address.pid();
  }

  /** {@return whether the manager's JVM is running} */
  public boolean isAlive() {
    return jvm.isAlive();
  }

  /**
   * Ends the manager: its objects are gone, and every call on their proxies, in any process, fails
   * with {@link ManagerGoneException}. Waits up to 5 s for its JVM to exit, then kills it.
   * Idempotent. An interrupt kills the JVM at once and stays set.
   */
  @Override
  public void close() {
    jvm.close();
  }

  @Override
  public String toString() {
    return "Manager[" + address.describe() + (jvm.isClosed() ? ", closed" : "") + "]";
  }

  /**
   * Options of a manager. Not thread-safe; setters check their arguments.
   *
   * @since 0.2
   */
  public static final class Builder {
    private String name;
    private final List<String> allow = new ArrayList<>();
    private final JvmProcess.Builder launch = JvmProcess.builder();
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Names the manager, for messages and logs (default {@code manager-<n>}).
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Allows classes in calls and results beyond the default decode rule (JDK value types,
     * collections, records, enums, this library), the package of the class that starts the
     * manager, and registered interfaces' and factories' packages.
     *
     * @param patterns class-name patterns, as {@link io.github.multiproc.ipc.codec.AllowRule#allow}
     * @return this builder
     */
    public Builder allow(String... patterns) {
      allow.addAll(List.of(patterns));
      return this;
    }

    /**
     * JVM options of the manager's JVM, such as {@code -Xmx2g}.
     *
     * @param args the options
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      launch.jvmArgs(args);
      return this;
    }

    /**
     * Where the manager's stdout and stderr go (default as {@link JvmProcess}).
     *
     * @param output the choice
     * @return this builder
     */
    public Builder output(WorkerOutput output) {
      launch.output(output);
      return this;
    }

    /**
     * How long {@link #start()} waits for the manager to listen (default 30 s).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      launch.startTimeout(timeout);
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts the manager and waits until it listens.
     *
     * @return the running manager
     * @throws ManagerException if its JVM cannot start, dies first, or is not ready in time
     */
    public Manager start() {
      return new Manager(ManagerLauncher.start(name, allow, launch, startTimeout));
    }
  }
}
