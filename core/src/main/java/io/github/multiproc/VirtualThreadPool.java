package io.github.multiproc;

import io.github.multiproc.internal.ExecutorChunkRunner;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.EventDelivery;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Pool} that runs each chunk on its own virtual thread, for work that mostly waits:
 * HTTP calls, database queries, file I/O. Thousands of tasks can wait at once for the cost of a
 * few kilobytes each; CPU-bound work gains nothing over {@link ThreadPool}.
 *
 * {@snippet :
 * try (Pool pool = VirtualThreadPool.create()) {
 *   List<String> bodies = pool.map(url -> http.send(get(url), ofString()).body(), urls);
 * }
 *
 * try (Pool pool = VirtualThreadPool.builder().maxConcurrency(50).build()) { ... } // e.g. a rate-limited API
 * }
 *
 * <p>Concurrency is bounded ({@value #DEFAULT_MAX_CONCURRENCY} by default) so that a lazy
 * {@code imap} over an endless input keeps bounded memory; {@link #workers()} returns the bound.
 * Unless a chunk size is set, each input is its own chunk (maximal concurrency for waiting work).
 * Since JDK 24 virtual threads do not pin their carrier inside {@code synchronized}.
 *
 * <p>Per-task timeouts interrupt the virtual thread at the deadline (see {@link ThreadPool}).
 * There is no per-worker initializer: virtual threads are not long-lived workers.
 *
 * <p><b>Thread safety</b> and <b>memory consistency</b>: see {@link Pool}.
 *
 * @since 0.1
 */
public final class VirtualThreadPool extends AbstractPool {

  /** The default bound on tasks running at once. */
  public static final int DEFAULT_MAX_CONCURRENCY = 10_000;

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final int maxConcurrency;
  private final Semaphore permits;
  private final ExecutorChunkRunner runner;
  private final EventDelivery events;

  private VirtualThreadPool(Builder b) {
    super("VirtualThreadPool");
    this.maxConcurrency = b.maxConcurrency;
    this.permits = new Semaphore(maxConcurrency);
    this.events = EventDelivery.of(b.listener);
    this.runner = new ExecutorChunkRunner(
        // one name per pool, no per-thread counter: numbering costs a string per task
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("multiproc-virtual-" + POOL_IDS.incrementAndGet()).factory()),
        permits, null, false, "VirtualThreadPool", events); // chunk sizes are always fixed here
  }

  /** {@return a pool with the default concurrency bound; close it when done} */
  public static VirtualThreadPool create() {
    return builder().build();
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int workers() {
    return maxConcurrency;
  }

  @Override
  protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
    return runner.open(task, options);
  }

  @Override
  protected int defaultChunkSize() {
    return 1;
  }

  @Override
  protected int defaultChunksInFlight() {
    return maxConcurrency;
  }

  @Override
  protected boolean supportsTaskTimeout() {
    return true;
  }

  /**
   * Chunks holding a permit are running (busy); chunks whose virtual thread waits for a permit
   * are queued (an estimate, as {@link Semaphore#getQueueLength()} is).
   */
  @Override
  protected BackendStats backendStats() {
    int running = Math.max(0, maxConcurrency - permits.availablePermits());
    return new BackendStats(maxConcurrency, running, 0, permits.getQueueLength(), running,
        PoolStats.Replacements.NONE);
  }

  @Override
  protected void doClose() {
    runner.close();
    events.close(); // after the last chunk: its failures are delivered before close returns
  }

  /** Builds a {@link VirtualThreadPool}. Not thread-safe; setters check their arguments at once. */
  public static final class Builder {
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private PoolEventListener listener;

    private Builder() {}

    /**
     * Bounds how many tasks run at once.
     *
     * @param maxConcurrency how many tasks may run at once, at least 1
     * @return this builder
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1: maxConcurrency=" + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * Receives the pool's events: {@link PoolEvent.TaskFailed} and {@link PoolEvent.TaskTimedOut}.
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
    public VirtualThreadPool build() {
      return new VirtualThreadPool(this);
    }
  }
}
