package io.github.multiproc.internal;

import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.Task;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.WorkerInitializationException;
import io.github.multiproc.WorkerInitializer;
import io.github.multiproc.jfr.JfrEvents;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import io.github.multiproc.spi.EventDelivery;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Runs chunks on an {@link ExecutorService} of the calling JVM: the engine of
 * {@link io.github.multiproc.ThreadPool} and {@link io.github.multiproc.VirtualThreadPool}.
 *
 * <p>A run is one executor task ({@code ExecutorRun}) that applies the call's task to each item
 * of its chunk in turn. Per-item timeouts are enforced cooperatively: a timer interrupts the
 * thread when the item's time is up and the item fails with {@link TaskTimeoutException}; a
 * thread cannot be killed, so a task that ignores interrupts holds its thread until it returns.
 * Cancelling a run's future interrupts the thread running it and skips its remaining items.
 *
 * {@snippet :
 * ExecutorChunkRunner runner = new ExecutorChunkRunner(executor, null, initializer, true);
 * ChunkDispatcher<T, R> call = runner.open(task, options);   // what AbstractPool.openCall returns
 * runner.close();                                             // when the pool closes
 * }
 *
 * <p>Thread safety: thread-safe. The per-thread initializer state lives in a {@link ThreadLocal}
 * of this runner, so each worker thread runs the initializer once.
 */
public final class ExecutorChunkRunner {

  private static final AtomicInteger TIMER_IDS = new AtomicInteger();
  private static final long PID = ProcessHandle.current().pid();

  private final ExecutorService executor;
  private final Semaphore concurrencyLimit;
  private final WorkerInitializer initializer;
  private final boolean timesChunks;
  private final String pool;
  private final EventDelivery events;
  private final ThreadLocal<InitState> initState = new ThreadLocal<>();
  private final Object timerLock = new Object();
  private ScheduledThreadPoolExecutor timer; // guarded by timerLock, created on first timeout
  private volatile boolean forcedClose; // close() was interrupted: running chunks stop

  /**
   * Creates the runner.
   *
   * @param executor runs the chunks; closed by {@link #close()}
   * @param concurrencyLimit bounds chunks running at once, or null for the executor's own bound
   * @param initializer run once per executor thread before its first item, or null
   * @param timesChunks whether to measure each chunk's execution time, which only an automatic
   *     chunk size uses (two clock reads per chunk; a pool whose chunk sizes are always fixed
   *     passes false)
   */
  public ExecutorChunkRunner(ExecutorService executor, Semaphore concurrencyLimit,
      WorkerInitializer initializer, boolean timesChunks) {
    this(executor, concurrencyLimit, initializer, timesChunks, "ExecutorChunkRunner", EventDelivery.of(null));
  }

  /**
   * Creates the runner of a pool that reports failed and timed-out items.
   *
   * @param executor runs the chunks; closed by {@link #close()}
   * @param concurrencyLimit bounds chunks running at once, or null for the executor's own bound
   * @param initializer run once per executor thread before its first item, or null
   * @param timesChunks whether to measure each chunk's execution time (see above)
   * @param pool the pool's name, for JFR events
   * @param events told of each failed item ({@link PoolEvent.TaskFailed}, {@link PoolEvent.TaskTimedOut})
   */
  public ExecutorChunkRunner(ExecutorService executor, Semaphore concurrencyLimit,
      WorkerInitializer initializer, boolean timesChunks, String pool, EventDelivery events) {
    this.pool = pool;
    this.events = events;
    this.executor = executor;
    this.concurrencyLimit = concurrencyLimit;
    this.initializer = initializer;
    this.timesChunks = timesChunks;
  }

  /**
   * Opens one call.
   *
   * @param task the call's task
   * @param options the call's options (only the timeout is used here)
   * @param <T> the input type
   * @param <R> the result type
   * @return the call's dispatcher
   */
  public <T, R> ChunkDispatcher<T, R> open(Task<? super T, ? extends R> task, MapOptions options) {
    Optional<Duration> timeout = options.taskTimeout();
    ScheduledThreadPoolExecutor callTimer = timeout.isPresent() ? timer() : null;
    return new ChunkDispatcher<>() {
      @Override
      public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
          BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
        ExecutorRun<T, R> run = new ExecutorRun<>(ExecutorChunkRunner.this, task, chunk, timeout.orElse(null),
            callTimer, whenDone);
        executor.execute(run);
        return run;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Lets accepted chunks finish, then stops every thread. If the calling thread is interrupted
   * while it waits, running chunks are interrupted, chunks not yet started fail with a
   * {@link CancellationException}, the wait goes on, and the interrupt status is set again.
   */
  public void close() {
    executor.shutdown();
    boolean interrupted = false;
    while (!executor.isTerminated()) {
      try {
        executor.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          interrupted = true;
          forcedClose = true;
          for (Runnable never : executor.shutdownNow()) {
            if (never instanceof ExecutorRun<?, ?> run) {
              run.completeExceptionally(new CancellationException("the pool was closed before this chunk ran"));
            }
          }
        }
      }
    }
    synchronized (timerLock) {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt(); // keep the caller's interrupt status
    }
  }

  /**
   * One run on the executor, and its future: remembers the thread running it, so that
   * {@code cancel(true)} interrupts that thread (no extra completion stage per chunk).
   */
  private static final class ExecutorRun<T, R> extends ChunkFuture<R> implements Runnable {
    // the chunk's work, in fields rather than a captured lambda: one object less per chunk. The
    // call's task, timeout and timer are copied into every run on purpose: a per-call object
    // would be allocated next to the caller's hot state (MapCall), and the carriers reading it on
    // every chunk measured slower (JMH virtual pair, 3 interleaved runs: median 1.18x vs 1.09x)
    private final ExecutorChunkRunner runner;
    private final Task<? super T, ? extends R> task;
    private final Chunk<T> chunk;
    private final Duration timeout;
    private final ScheduledThreadPoolExecutor callTimer;
    private Thread thread; // guarded by this: the thread running the chunk, while it runs

    ExecutorRun(ExecutorChunkRunner runner, Task<? super T, ? extends R> task, Chunk<T> chunk, Duration timeout,
        ScheduledThreadPoolExecutor callTimer, BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
      super(whenDone); // taken before the run can start: the caller never writes to it while it runs
      this.runner = runner;
      this.task = task;
      this.chunk = chunk;
      this.timeout = timeout;
      this.callTimer = callTimer;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (isDone()) {
          return;
        }
        thread = Thread.currentThread();
      }
      try {
        runner.run(task, chunk, timeout, callTimer, this);
      } finally {
        synchronized (this) {
          thread = null;
          Thread.interrupted(); // a cancel that raced with the end must not reach the next chunk
        }
      }
    }

    @Override
    protected void stop() {
      synchronized (this) {
        if (thread != null) {
          thread.interrupt();
        }
      }
    }
  }

  private <T, R> void run(Task<? super T, ? extends R> task, Chunk<T> chunk, Duration timeout,
      ScheduledThreadPoolExecutor callTimer, ChunkFuture<R> result) {
    if (result.isDone()) {
      return;
    }
    if (concurrencyLimit != null) {
      try {
        concurrencyLimit.acquire();
      } catch (InterruptedException e) {
        result.cancel(true); // only a cancel or close interrupts a queued chunk
        Thread.currentThread().interrupt();
        return;
      }
    }
    try {
      ChunkResult<R> out = new ChunkResult<>(chunk.size());
      long start = timesChunks ? System.nanoTime() : 0;
      Throwable initFailure = ensureInitialized();
      for (int i = 0; i < chunk.size(); i++) {
        if (i > 0 && Thread.currentThread().isInterrupted()) {
          if (result.isDone() || forcedClose) {
            // cancelled, or the pool is being closed by an interrupted caller: stop here
            result.completeExceptionally(new CancellationException("chunk interrupted"));
            return;
          }
          Thread.interrupted(); // the previous item left its own interrupt status set
        }
        if (result.isDone()) {
          return; // cancelled: drop the remaining items
        }
        if (initFailure != null) {
          out.fail(i, new WorkerInitializationException(chunk.indexOf(i), initFailure));
        } else if (timeout == null) {
          runItem(task, chunk.items().get(i), out, i);
        } else {
          runItemWithTimeout(task, chunk, i, out, timeout, callTimer);
        }
      }
      if (timesChunks) {
        out.executionNanos(System.nanoTime() - start);
      }
      if (out.firstFailure() >= 0) {
        reportFailures(chunk, out);
      }
      result.complete(out);
    } catch (Throwable t) {
      result.completeExceptionally(t);
    } finally {
      if (concurrencyLimit != null) {
        concurrencyLimit.release();
      }
    }
  }

  /** Tells the listener and JFR of a chunk's failed items, before the chunk completes. */
  private void reportFailures(Chunk<?> chunk, ChunkResult<?> out) {
    for (int i = out.firstFailure(); i < out.size(); i++) {
      Throwable t = out.failure(i);
      if (t == null) {
        continue;
      }
      long index = chunk.indexOf(i);
      if (t instanceof TaskTimeoutException te) {
        JfrEvents.taskTimeout(pool, PID, index, te.timeout());
        events.emit(new PoolEvent.TaskTimedOut(PID, index, te.timeout()));
      } else {
        events.emit(new PoolEvent.TaskFailed(PID, index, t));
      }
    }
  }

  private static <T, R> void runItem(Task<? super T, ? extends R> task, T input, ChunkResult<R> out, int i) {
    try {
      out.succeed(i, task.apply(input));
    } catch (Throwable t) {
      out.fail(i, t);
    }
  }

  private static <T, R> void runItemWithTimeout(Task<? super T, ? extends R> task, Chunk<T> chunk, int i,
      ChunkResult<R> out, Duration timeout, ScheduledThreadPoolExecutor callTimer) {
    Thread self = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> alarm = callTimer.schedule(() -> {
      synchronized (state) {
        if (state.compareAndSet(RUNNING, TIMED_OUT)) {
          self.interrupt();
        }
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    runItem(task, chunk.items().get(i), out, i);
    alarm.cancel(false);
    if (!state.compareAndSet(RUNNING, DONE)) {
      synchronized (state) {
        Thread.interrupted(); // the interrupt was the alarm's, not the caller's: clear it
      }
      out.fail(i, new TaskTimeoutException(chunk.indexOf(i), timeout));
    }
  }

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int TIMED_OUT = 2;

  private Throwable ensureInitialized() {
    if (initializer == null) {
      return null;
    }
    InitState state = initState.get();
    if (state == null) {
      try {
        initializer.initialize();
        state = new InitState(null);
      } catch (Throwable t) {
        state = new InitState(t);
      }
      initState.set(state);
    }
    return state.failure;
  }

  private ScheduledThreadPoolExecutor timer() {
    synchronized (timerLock) {
      if (timer == null) {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
            .name("multiproc-timeout-" + TIMER_IDS.incrementAndGet()).factory());
        timer.setRemoveOnCancelPolicy(true);
      }
      return timer;
    }
  }

  private record InitState(Throwable failure) {}
}
