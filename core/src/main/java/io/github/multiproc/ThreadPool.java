package io.github.multiproc;

import io.github.multiproc.internal.ExecutorChunkRunner;
import io.github.multiproc.internal.TrackingThreadFactory;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.EventDelivery;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Pool} of platform threads in this JVM, for CPU-bound work. Unlike Python's threads,
 * Java threads run bytecode in parallel on every core (there is no global interpreter lock), so
 * this is the fastest backend for pure computation; choose {@code ProcessPool} when you need
 * isolation rather than parallelism.
 *
 * {@snippet :
 * try (Pool pool = ThreadPool.create(4)) {
 *   List<Long> sums = pool.map(n -> LongStream.range(0, n).sum(), List.of(10L, 20L, 30L));
 * }
 *
 * try (Pool pool = ThreadPool.builder()
 *     .workers(8)
 *     .initializer(() -> Locale.setDefault(Locale.ROOT))   // once per thread
 *     .build()) { ... }
 * }
 *
 * <p>Tasks run on the caller's heap and share its memory: a task that appends to a list the
 * caller holds changes that list. Threads are named {@code multiproc-thread-<pool>-<n>}, are not
 * daemons, and start on first use.
 *
 * <p>Per-task timeouts are honoured cooperatively: at the deadline the item fails with
 * {@link TaskTimeoutException} and its thread is interrupted; a task that ignores interrupts keeps
 * its thread until it returns (threads cannot be killed; use a process pool for hard limits).
 *
 * <p><b>Thread safety</b> and <b>memory consistency</b>: see {@link Pool}.
 *
 * @since 0.1
 */
public final class ThreadPool extends AbstractPool {

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final int workers;
  private final ThreadPoolExecutor executor;
  private final ExecutorChunkRunner runner;
  private final TrackingThreadFactory threads;
  private final EventDelivery events;

  private ThreadPool(Builder b) {
    super("ThreadPool");
    this.workers = b.workers;
    int id = POOL_IDS.incrementAndGet();
    this.threads = new TrackingThreadFactory(Thread.ofPlatform().name("multiproc-thread-" + id + "-", 1).factory());
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), threads);
    this.events = EventDelivery.of(b.listener);
    this.runner = new ExecutorChunkRunner(executor, null, b.initializer, true, "ThreadPool", events);
  }

  /**
   * Creates a pool of {@code workers} threads.
   *
   * @param workers at least 1
   * @return the pool; close it when done
   */
  public static ThreadPool create(int workers) {
    return builder().workers(workers).build();
  }

  /** {@return a builder whose worker count defaults to the number of available processors} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int workers() {
    return workers;
  }

  @Override
  protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
    return runner.open(task, options);
  }

  @Override
  protected boolean supportsTaskTimeout() {
    return true;
  }

  /** Threads running a chunk are busy; chunks waiting in the executor's queue are queued. */
  @Override
  protected BackendStats backendStats() {
    int running = executor.getActiveCount();
    return new BackendStats(workers, running, 0, executor.getQueue().size(), running,
        PoolStats.Replacements.NONE);
  }

  @Override
  protected void doClose() {
    runner.close();
    threads.awaitAllEnded(); // close() returns once no thread of this pool is alive
    events.close(); // after the last chunk: its failures are delivered before close returns
  }

  /** Builds a {@link ThreadPool}. Not thread-safe; setters check their arguments at once. */
  public static final class Builder {
    private int workers = Runtime.getRuntime().availableProcessors();
    private WorkerInitializer initializer;
    private PoolEventListener listener;

    private Builder() {}

    /**
     * Sets the number of threads.
     *
     * @param workers the number of threads, at least 1
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
     * Sets code run once in each thread before its first task.
     *
     * @param initializer run once in each thread before its first task
     * @return this builder
     */
    public Builder initializer(WorkerInitializer initializer) {
      if (initializer == null) {
        throw new IllegalArgumentException("initializer must not be null");
      }
      this.initializer = initializer;
      return this;
    }

    /**
     * Receives the pool's events: {@link PoolEvent.TaskFailed} and {@link PoolEvent.TaskTimedOut}
     * (threads have no lifecycle worth an event).
     *
     * @param listener the listener (see {@link PoolEventListener} for threading)
     * @return this builder
     */
    public Builder eventListener(PoolEventListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("eventListener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /** {@return a new pool} */
    public ThreadPool build() {
      return new ThreadPool(this);
    }
  }
}
