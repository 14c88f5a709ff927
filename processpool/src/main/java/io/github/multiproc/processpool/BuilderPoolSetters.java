package io.github.multiproc.processpool;

import io.github.multiproc.PoolEventListener;
import io.github.multiproc.WorkerInitializer;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@link ProcessPool.Builder} that say how the pool runs its workers and their
 * work: how many workers, their initializer, when one is replaced (by items run, by memory, by
 * silence), how long a task may overrun or a result take to decode, how often a dead worker's
 * idempotent chunk is re-run, from what size values travel through shared memory, and who hears
 * the pool's events and injects its faults. {@code ProcessPool.Builder} is the one subclass; users
 * name it, and its documentation shows these setters as its own.
 *
 * <p>Not thread-safe, like any builder; each setter checks its argument at once.
 */
abstract sealed class BuilderPoolSetters extends BuilderLaunchSetters permits ProcessPool.Builder {

  int workers = Runtime.getRuntime().availableProcessors();
  WorkerInitializer initializer;
  long maxTasksPerWorker;
  Duration taskTimeoutGrace = Duration.ofSeconds(1);
  Duration heartbeatInterval = Duration.ofSeconds(1);
  Duration heartbeatTimeout = Duration.ofSeconds(10);
  int idempotentRetries = 2;
  Duration resultDecodeTimeout = Duration.ofSeconds(60);
  FaultInjector faults;
  PoolEventListener listener;
  long largePayloadThreshold = ProcessPool.DEFAULT_LARGE_PAYLOAD_THRESHOLD;
  long maxWorkerMemory;

  BuilderPoolSetters() {}

  /**
   * Sets the number of worker JVMs.
   *
   * @param workers the number of worker JVMs, at least 1
   * @return this builder
   */
  public ProcessPool.Builder workers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1: workers=" + workers);
    }
    this.workers = workers;
    return self();
  }

  /**
   * Sets code run once in each worker before its first task.
   *
   * @param initializer run once in each worker before its first task; if it throws, that
   *     worker's items fail with {@link io.github.multiproc.WorkerInitializationException}
   * @return this builder
   */
  public ProcessPool.Builder initializer(WorkerInitializer initializer) {
    this.initializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * Replaces a worker after it has run this many items (it finishes the chunks it holds
   * first), like Python's {@code maxtasksperchild}; bounds leaks in native or user code.
   *
   * @param max at least 1
   * @return this builder
   */
  public ProcessPool.Builder maxTasksPerWorker(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxTasksPerWorker must be >= 1: maxTasksPerWorker=" + max);
    }
    this.maxTasksPerWorker = max;
    return self();
  }

  /**
   * Replaces a worker whose memory grew too large: after each chunk it answers, the pool reads
   * the worker's resident set size (RSS: heap, metaspace, code, thread stacks and whatever
   * native code allocated) and, above {@code bytes}, retires it once it holds no more chunks
   * and starts a replacement, as {@link #maxTasksPerWorker(long)} does by count. For leaky libraries,
   * native or Java (loky's and Ray's memory-based recycling). The replacement is reported as
   * {@link io.github.multiproc.PoolEvent.WorkerMemoryExceeded} and then
   * {@code WorkerRetired}, counted in {@code PoolStats.replacements().overMemory()}, and recorded
   * in JFR's {@code multiproc.WorkerExit} with reason "over memory". Set it well above an idle
   * worker's RSS (about 40-60 MiB). Linux only (elsewhere it never triggers).
   *
   * @param bytes the most resident bytes a worker may keep, at least 1
   * @return this builder
   */
  public ProcessPool.Builder maxWorkerMemory(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxWorkerMemory must be >= 1: maxWorkerMemory=" + bytes);
    }
    this.maxWorkerMemory = bytes;
    return self();
  }

  /**
   * Sets the grace period before an unresponsive task's worker is killed.
   *
   * @param grace how long a task past its per-task timeout, or a cancelled task
   *     ({@code future.cancel(true)}, an interrupted {@code map} caller), may take to answer the
   *     interrupt before its worker is killed and replaced (default 1 s)
   * @return this builder
   */
  public ProcessPool.Builder taskTimeoutGrace(Duration grace) {
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("taskTimeoutGrace must be >= 0: taskTimeoutGrace=" + grace);
    }
    this.taskTimeoutGrace = grace;
    return self();
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
  public ProcessPool.Builder heartbeat(Duration interval, Duration timeout) {
    if (interval == null || timeout == null || interval.isNegative() || interval.isZero()
        || timeout.compareTo(interval) <= 0) {
      throw new IllegalArgumentException("heartbeat needs 0 < interval < timeout: interval=" + interval
          + ", timeout=" + timeout);
    }
    this.heartbeatInterval = interval;
    this.heartbeatTimeout = timeout;
    return self();
  }

  /**
   * How many times a chunk of an {@link io.github.multiproc.Idempotent} task or job is run again after the worker
   * running it died (default 2); then its items fail with
   * {@link io.github.multiproc.WorkerDiedException}. Unmarked tasks are never re-run.
   *
   * @param retries at least 0
   * @return this builder
   */
  public ProcessPool.Builder idempotentRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("idempotentRetries must be >= 0: idempotentRetries=" + retries);
    }
    this.idempotentRetries = retries;
    return self();
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
  public ProcessPool.Builder resultDecodeTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("resultDecodeTimeout must be > 0: resultDecodeTimeout=" + timeout);
    }
    this.resultDecodeTimeout = timeout;
    return self();
  }

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
  public ProcessPool.Builder largePayloadThreshold(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("largePayloadThreshold must be >= 1: largePayloadThreshold=" + bytes);
    }
    this.largePayloadThreshold = bytes;
    return self();
  }

  /**
   * Receives the pool's events: workers started, died, replaced; items failed or timed out.
   *
   * @param listener the listener (see {@link io.github.multiproc.PoolEventListener} for threading)
   * @return this builder
   */
  public ProcessPool.Builder eventListener(PoolEventListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * Injects faults, for tests of how the pool and its users cope (see {@link FaultInjector}).
   * Never set it in production.
   *
   * @param injector the injector; serialized and sent to every worker
   * @return this builder
   */
  public ProcessPool.Builder faultInjector(FaultInjector injector) {
    this.faults = Objects.requireNonNull(injector, "injector");
    return self();
  }
}
