package io.github.multiproc.processpool;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import io.github.multiproc.processpool.internal.parent.Launcher;
import io.github.multiproc.processpool.internal.parent.PoolCall;
import io.github.multiproc.processpool.internal.parent.PoolEngine;
import io.github.multiproc.processpool.internal.parent.PoolSettings;
import io.github.multiproc.processpool.internal.parent.WorkerCommand;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.List;
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
    this.taskTimeoutGrace = b.taskTimeoutGrace;
    WorkerCommand command = b.launch.poolCommand(workers, b.initializer == null ? List.of() : List.of(b.initializer.getClass()));
    this.classPath = command.paths();
    // the workers' JVMs start now, while this JVM creates the codec, binds its logging and sets up the engine
    Launcher launcher = Launcher.start(command, workers, b.aotCache, PoolSettings.workerProperties(b.largePayloadThreshold));
    Codec c;
    byte[] initializer;
    try {
      c = b.launch.codec();
      initializer = b.initializer == null ? null : c.encode(b.initializer);
    } catch (RuntimeException | Error e) {
      launcher.abandon();
      throw e;
    }
    this.codec = c;
    this.engine = PoolEngine.start(new PoolSettings(workers, command,
        b.launch.output, codec, initializer, b.launch.startTimeout, b.maxTasksPerWorker, b.aotCache, b.heartbeatInterval,
        b.heartbeatTimeout, b.taskTimeoutGrace, b.idempotentRetries, b.resultDecodeTimeout, b.faults, b.listener,
        b.largePayloadThreshold, b.maxWorkerMemory), launcher);
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
  // the setters are declared, by subject, in BuilderLaunchSetters and BuilderPoolSetters
  public static final class Builder extends BuilderPoolSetters {

    private Builder() {}

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
