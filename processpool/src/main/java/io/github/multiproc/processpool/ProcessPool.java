package io.github.multiproc.processpool;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.WorkerInitializer;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import io.github.multiproc.processpool.internal.parent.PoolCall;
import io.github.multiproc.processpool.internal.parent.PoolEngine;
import io.github.multiproc.processpool.internal.parent.PoolSettings;
import io.github.multiproc.processpool.internal.parent.WorkerCommand;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * A {@link io.github.multiproc.Pool} of worker JVMs: the JVM's {@code multiprocessing.Pool}.
 * Each worker is a separate process with its own heap, statics, system properties and GC; tasks,
 * inputs and results travel between processes serialized, so nothing else is shared.
 *
 * {@snippet :
 * try (ProcessPool pool = ProcessPool.create(4)) {
 *   List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 *
 * try (ProcessPool pool = ProcessPool.builder()
 *     .workers(2)
 *     .jvmArgs("-Xmx256m", "-Dapp.mode=batch")
 *     .initializer(() -> Model.load())              // once per worker
 *     .maxTasksPerWorker(10_000)                     // then the worker is replaced
 *     .output(WorkerOutput.LOG)
 *     .build()) {
 *   CompletableFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
 * }
 * }
 *
 * <p><b>Workers.</b> Started in parallel with this JVM's {@code java}, class path (and module
 * path) and the builder's JVM arguments; {@link #create}/{@link Builder#build} return when every
 * worker has answered the handshake, or throw {@link WorkerStartException} naming the likely
 * causes. A worker speaks the protocol over two private named pipes (FIFOs), never its stdin or
 * stdout, so nothing the JVM or the tasks print can break the protocol; the output is forwarded
 * per {@link WorkerOutput}. Workers exit when this
 * JVM dies, even by {@code SIGKILL}.
 *
 * <p><b>Work.</b> The semantics of {@code map}, {@code imap}, {@code imapUnordered} and
 * {@code submit} are those of every {@link io.github.multiproc.Pool}. A call's task is sent to
 * each worker once; inputs travel in chunks encoded as one unit (boxed numbers and strings without
 * object serialization). A task that throws fails its item with the original exception, or a
 * {@link io.github.multiproc.RemoteException} when it cannot be deserialized here; the worker goes
 * on. A worker that dies fails only the items it held, with
 * {@link io.github.multiproc.WorkerDiedException}, and is replaced.
 *
 * <p><b>Thread safety</b> and <b>memory consistency</b>: see {@link io.github.multiproc.Pool}.
 * {@link #close()} lets accepted work finish, then shuts every worker down and waits for it to
 * exit; no process is left behind.
 *
 * @since 0.1
 */
public final class ProcessPool extends AbstractPool {

  private final int workers;
  private final Codec codec;
  private final PoolEngine engine;
  private final Duration taskTimeoutGrace;
  private final WorkerClassPath classPath;

  private ProcessPool(Builder b) {
    super("ProcessPool");
    this.workers = b.workers;
    this.codec = b.launch.codec;
    this.taskTimeoutGrace = b.taskTimeoutGrace;
    byte[] initializer = b.initializer == null ? null : codec.encode(b.initializer);
    WorkerCommand command = b.launch.poolCommand(workers, b.initializer == null ? List.of() : List.of(b.initializer.getClass()));
    this.classPath = command.paths();
    this.engine = PoolEngine.start(new PoolSettings(workers, command,
        b.launch.output, codec, initializer, b.launch.startTimeout, b.maxTasksPerWorker, b.aotCache, b.heartbeatInterval,
        b.heartbeatTimeout, b.taskTimeoutGrace, b.idempotentRetries, b.resultDecodeTimeout, b.faults, b.listener,
        b.largePayloadThreshold, b.maxWorkerMemory));
  }

  /**
   * Starts a pool of {@code workers} worker JVMs with default options.
   *
   * @param workers at least 1
   * @return the pool, every worker ready; close it when done
   * @throws WorkerStartException if a worker could not start
   */
  public static ProcessPool create(int workers) {
    return builder().workers(workers).build();
  }

  /** The default of {@link Builder#largePayloadThreshold}: 1 MiB. */
  public static final long DEFAULT_LARGE_PAYLOAD_THRESHOLD =
      io.github.multiproc.processpool.internal.protocol.Protocol.DEFAULT_LARGE_PAYLOAD_THRESHOLD;

  /** {@return a builder with the defaults: one worker per available processor, JDK serialization} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int workers() {
    return workers;
  }

  /**
   * Returns the process ids of the live workers, for monitoring and tests.
   *
   * @return the pids, in no particular order
   */
  public List<Long> workerPids() {
    return engine.pids();
  }

  /**
   * Returns every worker process this pool ever started (including replaced ones), so a caller
   * can check that none outlives {@link #close()}.
   *
   * @return the handles
   */
  public List<ProcessHandle> allWorkerProcesses() {
    return engine.everStarted();
  }

  @Override
  protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
    checkOpen();
    Object userCode = userCode(task);
    classPath.cannotLoad(userCode.getClass()).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    byte[] encoded = codec.encode(task); // fails here, on the caller's thread, if it does not serialize
    long timeoutNanos = options.taskTimeout().map(Duration::toNanos).orElse(0L);
    PoolCall call = new PoolCall(engine.nextId(), timeoutNanos,
        taskTimeoutGrace.toNanos(), encoded, task);
    return new ChunkDispatcher<>() {
      @Override
      public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
          BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
        return engine.submit(call, chunk, whenDone); // attached before any batch of it can start
      }

      @Override
      public void close() {
        engine.release(call);
      }
    };
  }

  /**
   * Process workers enforce {@link MapOptions#taskTimeout()}: the task is interrupted at its
   * deadline and its item fails with {@link io.github.multiproc.TaskTimeoutException}; a task that
   * ignores the interrupt for the grace period ({@link Builder#taskTimeoutGrace}) has its worker
   * stopped and replaced.
   *
   * @return true
   */
  @Override
  protected boolean supportsTaskTimeout() {
    return true;
  }

  /**
   * Worker JVMs starting, busy (holding a chunk) or idle; chunks waiting for a worker or held by
   * one; workers replaced because they died, timed out or were recycled.
   */
  @Override
  protected BackendStats backendStats() {
    return engine.stats();
  }

  @Override
  protected void doClose() {
    engine.close();
  }

  /**
   * Stops at once, like {@link java.util.concurrent.ExecutorService#shutdownNow()}: every worker
   * is killed ({@code SIGKILL}), the items they were running fail with
   * {@link io.github.multiproc.WorkerDiedException}, the chunks that had not started fail with
   * {@link RejectedExecutionException}, and the pool is closed. When this method returns no worker
   * process is alive.
   *
   * {@snippet :
   * List<Object> neverRan = pool.shutdownNow();   // for example on SIGTERM of the application
   * }
   *
   * @return the inputs that never started running (a submitted job appears as the job itself),
   *     in dispatch order; inputs not yet read from a lazy {@code imap} source are not included
   */
  public List<Object> shutdownNow() {
    List<Object> neverRan = stopNow().orElseThrow();
    close();
    return neverRan;
  }

  /**
   * Workers run serialized copies of the tasks, in other processes.
   *
   * @return false
   */
  @Override
  protected boolean runsTasksInThisJvm() {
    return false;
  }

  /**
   * Kills every worker and returns what never started, as {@link #shutdownNow()} does, for the
   * {@link #asExecutorService()} view.
   *
   * @return the inputs and jobs that never started
   */
  @Override
  protected Optional<List<Object>> stopNow() {
    return Optional.of(isClosed() ? List.of() : engine.shutdownNow());
  }

  /**
   * Builds a {@link ProcessPool}. Not thread-safe; each setter checks its argument at once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final LaunchOptions launch = new LaunchOptions();
    private int workers = Runtime.getRuntime().availableProcessors();
    private WorkerInitializer initializer;
    private long maxTasksPerWorker;
    private Duration taskTimeoutGrace = Duration.ofSeconds(1);
    private boolean aotCache = true;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration heartbeatTimeout = Duration.ofSeconds(10);
    private int idempotentRetries = 2;
    private Duration resultDecodeTimeout = Duration.ofSeconds(60);
    private FaultInjector faults;
    private io.github.multiproc.PoolEventListener listener;
    private long largePayloadThreshold = DEFAULT_LARGE_PAYLOAD_THRESHOLD;
    private long maxWorkerMemory;

    private Builder() {}

    /**
     * Sets the size from which an input or a result travels through shared memory instead of the
     * worker's pipe (default 1 MiB): a {@code byte[]}, primitive array or {@code ByteBuffer} of at
     * least this many bytes, or any other value whose serialized form is (measured only when its
     * batch's payload reaches the size). The value is copied once into a segment in
     * {@code /dev/shm} and once out of it on the other side, instead of being serialized, written
     * through the pipe in pieces and deserialized; the caller and the task see the same values
     * either way (a {@code ByteBuffer} arrives as a heap buffer of its remaining bytes). A
     * {@code ByteBuffer}, which is not serializable, always travels this way. One value may have
     * up to 2 GiB; a serialized one is still decoded under the codec's limits. Segments are
     * deleted once read, and swept if either side dies ({@code docs/reliability.md}).
     *
     * {@snippet :
     * ProcessPool pool = ProcessPool.builder().workers(2).largePayloadThreshold(64 << 10).build();
     * List<byte[]> thumbnails = pool.map(Images::thumbnail, photos);   // each photo via /dev/shm
     * }
     *
     * @param bytes at least 1; {@code Long.MAX_VALUE} sends everything but {@code ByteBuffer}s
     *     through the pipe
     * @return this builder
     */
    public Builder largePayloadThreshold(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("largePayloadThreshold must be >= 1: largePayloadThreshold=" + bytes);
      }
      this.largePayloadThreshold = bytes;
      return this;
    }

    /**
     * Replaces a worker whose memory grew too large: after each chunk it answers, the pool reads
     * the worker's resident set size (RSS: heap, metaspace, code, thread stacks and whatever
     * native code allocated) and, above {@code bytes}, retires it once it holds no more chunks
     * and starts a replacement, as {@link #maxTasksPerWorker} does by count. For leaky libraries,
     * native or Java (loky's and Ray's memory-based recycling). The replacement is reported as
     * {@link io.github.multiproc.PoolEvent.WorkerMemoryExceeded} and then
     * {@code WorkerRetired}, counted in {@code PoolStats.replacements().overMemory()}, and recorded
     * in JFR's {@code multiproc.WorkerExit} with reason "over memory". Set it well above an idle
     * worker's RSS (about 40-60 MiB). Linux only (elsewhere it never triggers).
     *
     * @param bytes the most resident bytes a worker may keep, at least 1
     * @return this builder
     */
    public Builder maxWorkerMemory(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxWorkerMemory must be >= 1: maxWorkerMemory=" + bytes);
      }
      this.maxWorkerMemory = bytes;
      return this;
    }

    /**
     * Sets the number of worker JVMs.
     *
     * @param workers the number of worker JVMs, at least 1
     * @return this builder
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1: workers=" + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Adds JVM arguments for the workers, such as {@code -Xmx512m} or {@code -Dkey=value}.
     * Without them a worker is sized for its share of the machine, not for all of it: the serial
     * collector when each worker has at most 2 cores, a 16 MB initial heap (it grows as needed),
     * together at most the quarter of RAM one JVM takes by default
     * ({@code -XX:MaxRAMPercentage=25/workers}), and {@code -XX:ActiveProcessorCount} = cores /
     * workers. Setting any collector, heap size or processor count here replaces that default.
     *
     * @param args the arguments, in order
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      launch.jvmArgs(args);
      return this;
    }

    /**
     * Adds an environment variable for the workers (they inherit this JVM's environment).
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    public Builder environment(String name, String value) {
      launch.environment(name, value);
      return this;
    }

    /**
     * Sets the workers' working directory.
     *
     * @param directory the workers' working directory (default: this JVM's)
     * @return this builder
     */
    public Builder workingDirectory(Path directory) {
      launch.workingDirectory(directory);
      return this;
    }

    /**
     * Sets the workers' class path, for what the pool cannot work out by itself: by default it
     * uses this JVM's class path plus the jars and directories of the class loaders that loaded
     * multiproc and the code that builds the pool (a child {@code URLClassLoader}, {@code mvn
     * exec:java}, a servlet container), starts workers through Spring Boot's launcher when
     * multiproc sits in a Boot executable jar, and compiles a program run from its source file.
     * Set it when the classes come from a class loader that cannot list its files (OSGi, JBoss
     * Modules, a custom loader); it must then hold multiproc-processpool, multiproc-ipc,
     * multiproc-core, slf4j-api and the classes of every task. Workers then run on the class path,
     * and tasks are no longer checked against it before they are sent.
     *
     * {@snippet :
     * ProcessPool.builder().classPath(Path.of("/opt/app/lib/app.jar"), Path.of("/opt/app/lib/multiproc-processpool.jar"))
     * }
     *
     * @param entries jars and directories, in order; relative ones are resolved against this JVM's
     *     working directory
     * @return this builder
     */
    public Builder classPath(Path... entries) {
      launch.classPath(entries == null ? null : Arrays.asList(entries));
      return this;
    }

    /**
     * Sets the workers' class path; see {@link #classPath(Path...)}.
     *
     * @param entries jars and directories, in order
     * @return this builder
     */
    public Builder classPath(List<Path> entries) {
      launch.classPath(entries);
      return this;
    }

    /**
     * Starts workers with the {@code java} of another Java installation (default: this JVM's).
     * Needed when this JVM has no {@code bin/java}, as in a {@code jpackage} application image or
     * a {@code jlink} image made with {@code --strip-native-commands}.
     *
     * @param javaHome a JDK or JRE of Java 25 or newer
     * @return this builder
     * @throws IllegalArgumentException if it has no executable {@code bin/java} or its
     *     {@code release} file names an older Java
     */
    public Builder javaHome(Path javaHome) {
      launch.javaHome(javaHome);
      return this;
    }

    /**
     * Sets code run once in each worker before its first task.
     *
     * @param initializer run once in each worker before its first task; if it throws, that
     *     worker's items fail with {@link io.github.multiproc.WorkerInitializationException}
     * @return this builder
     */
    public Builder initializer(WorkerInitializer initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /**
     * Replaces a worker after it has run this many items (it finishes the chunks it holds
     * first), like Python's {@code maxtasksperchild}; bounds leaks in native or user code.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxTasksPerWorker(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTasksPerWorker must be >= 1: maxTasksPerWorker=" + max);
      }
      this.maxTasksPerWorker = max;
      return this;
    }

    /**
     * Sets where worker output goes.
     *
     * @param output where worker output goes (default {@link WorkerOutput#INHERIT})
     * @return this builder
     */
    public Builder output(WorkerOutput output) {
      launch.output(output);
      return this;
    }

    /**
     * Sets how long a worker may take to start.
     *
     * @param timeout how long a worker may take to start and answer the handshake (default 30 s)
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      launch.startTimeout(timeout);
      return this;
    }

    /**
     * Sets the grace period before an unresponsive task's worker is killed.
     *
     * @param grace how long a task past its per-task timeout, or a cancelled task
     *     ({@code future.cancel(true)}, an interrupted {@code map} caller), may take to answer the
     *     interrupt before its worker is killed and replaced (default 1 s)
     * @return this builder
     */
    public Builder taskTimeoutGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("taskTimeoutGrace must be >= 0: taskTimeoutGrace=" + grace);
      }
      this.taskTimeoutGrace = grace;
      return this;
    }

    /**
     * Sets the watchdog for wedged workers (stopped by {@code SIGSTOP}, deadlocked in native code,
     * frozen by swapping): every {@code interval} the pool pings each worker, whose protocol
     * reader answers at once even while a task runs; a worker that sends nothing for
     * {@code timeout} is killed and replaced, and its items fail with
     * {@link io.github.multiproc.WorkerDiedException} saying it was unresponsive. Long tasks are
     * not affected (use a per-task timeout for them); keep {@code timeout} above the longest GC
     * pause the workers may have.
     *
     * @param interval how often to ping (default 1 s)
     * @param timeout how long a silent worker is given (default 10 s); more than {@code interval}
     * @return this builder
     */
    public Builder heartbeat(Duration interval, Duration timeout) {
      if (interval == null || timeout == null || interval.isNegative() || interval.isZero()
          || timeout.compareTo(interval) <= 0) {
        throw new IllegalArgumentException("heartbeat needs 0 < interval < timeout: interval=" + interval
            + ", timeout=" + timeout);
      }
      this.heartbeatInterval = interval;
      this.heartbeatTimeout = timeout;
      return this;
    }

    /**
     * How many times a chunk of an {@link io.github.multiproc.Idempotent} task or job is run again after the worker
     * running it died (default 2); then its items fail with
     * {@link io.github.multiproc.WorkerDiedException}. Unmarked tasks are never re-run.
     *
     * @param retries at least 0
     * @return this builder
     */
    public Builder idempotentRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("idempotentRetries must be >= 0: idempotentRetries=" + retries);
      }
      this.idempotentRetries = retries;
      return this;
    }

    /**
     * Sets how long the parent may take to decode one batch of results. Decoding runs the
     * deserialization of what the worker returned: a value whose {@code readObject} blocks or
     * loops, or one too large to rebuild in time, fails its items with a
     * {@link io.github.multiproc.ipc.codec.CodecException} that says so when this time is up,
     * instead of hanging the caller (default 60 s).
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder resultDecodeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("resultDecodeTimeout must be > 0: resultDecodeTimeout=" + timeout);
      }
      this.resultDecodeTimeout = timeout;
      return this;
    }

    /**
     * Receives the pool's events: workers started, died, replaced; items failed or timed out.
     *
     * @param listener the listener (see {@link io.github.multiproc.PoolEventListener} for threading)
     * @return this builder
     */
    public Builder eventListener(io.github.multiproc.PoolEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Injects faults, for tests of how the pool and its users cope (see {@link FaultInjector}).
     * Never set it in production.
     *
     * @param injector the injector; serialized and sent to every worker
     * @return this builder
     */
    public Builder faultInjector(FaultInjector injector) {
      this.faults = Objects.requireNonNull(injector, "injector");
      return this;
    }

    /**
     * Whether workers start from a JDK AOT cache (default true). The first pool for a class path
     * trains the cache in the background (one extra short-lived JVM, waited for by
     * {@link ProcessPool#close()} up to 10 s); later pools' workers start from it. The cache is
     * keyed by the JDK, the worker command line and every class-path jar's size and time, so any
     * change selects a new one. Only class paths made of jar files qualify (a JDK rule).
     *
     * @param enabled false to never use or build the cache
     * @return this builder
     */
    public Builder aotCache(boolean enabled) {
      this.aotCache = enabled;
      return this;
    }

    /**
     * Sets the codec for tasks, inputs and results (default {@link JdkCodec#create()}). The
     * workers recreate it from its class name: it needs a public static {@code create()} method
     * or a public no-argument constructor.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(Codec codec) {
      launch.codec(codec);
      return this;
    }

    /**
     * Describes every option set, for logs and for checking what configuration produced (the
     * environment's values are left out).
     *
     * @return the options, such as {@code ProcessPool.Builder[workers=2, java=this JVM's, ...]}
     */
    @Override
    public String toString() {
      return "ProcessPool.Builder[workers=" + workers + ", " + launch + ", maxTasksPerWorker="
          + (maxTasksPerWorker == 0 ? "unlimited" : maxTasksPerWorker) + ", taskTimeoutGrace=" + taskTimeoutGrace
          + ", aotCache=" + aotCache + ", heartbeat=" + heartbeatInterval + "/" + heartbeatTimeout
          + ", idempotentRetries=" + idempotentRetries + ", resultDecodeTimeout=" + resultDecodeTimeout
          + ", largePayloadThreshold=" + largePayloadThreshold
          + ", maxWorkerMemory=" + (maxWorkerMemory == 0 ? "unlimited" : maxWorkerMemory)
          + ", initializer=" + (initializer != null)
          + ", eventListener=" + (listener != null) + ", faultInjector=" + (faults != null) + "]";
    }

    /**
     * Starts the workers and waits until each is ready.
     *
     * @return the pool
     * @throws WorkerStartException if a worker could not start; no process is left behind
     */
    public ProcessPool build() {
      return new ProcessPool(this);
    }
  }

}
