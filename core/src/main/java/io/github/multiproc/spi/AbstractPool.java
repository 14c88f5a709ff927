package io.github.multiproc.spi;

import io.github.multiproc.Job;
import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.PoolExecutorService;
import io.github.multiproc.PoolStats;
import io.github.multiproc.Task;
import io.github.multiproc.internal.MapCall;
import io.github.multiproc.internal.PoolMeter;
import io.github.multiproc.internal.SubmitFuture;
import io.github.multiproc.jfr.CallEvent;
import io.github.multiproc.jfr.JfrEvents;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Pool} contract implemented once, for every backend, on top of one primitive:
 * {@link #openCall} gives a {@link ChunkDispatcher} that runs {@link Chunk}s.
 *
 * <p>This class owns everything the contract promises: input order for {@code map}/{@code imap},
 * exactly-once completion order for {@code imapUnordered}, the bounded window of chunks in
 * flight (default {@link #defaultChunksInFlight()}), automatic and adaptive chunk sizes, fail-fast
 * with the failing index, cancellation when the caller is interrupted, progress reporting, and
 * the closed state. A backend supplies how a chunk runs and how it shuts down.
 *
 * {@snippet :
 * final class InlinePool extends AbstractPool {
 *   InlinePool() { super("InlinePool"); }
 *   public int workers() { return 1; }
 *   protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions o) {
 *     return new ChunkDispatcher<>() {
 *       public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
 *           BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
 *         ChunkFuture<R> run = new ChunkFuture<>(whenDone);
 *         ChunkResult<R> r = new ChunkResult<>(chunk.size());
 *         for (int i = 0; i < chunk.size(); i++) {
 *           try { r.succeed(i, task.apply(chunk.items().get(i))); } catch (Exception e) { r.fail(i, e); }
 *         }
 *         run.complete(r); // tells whenDone
 *         return run;
 *       }
 *       public void close() {}
 *     };
 *   }
 *   protected void doClose() {}
 * }
 * }
 *
 * <p>It also gives every backend its {@link PoolExecutorService} view
 * ({@link #asExecutorService()}), on top of {@link #submit}; a backend that runs tasks elsewhere
 * says so ({@link #runsTasksInThisJvm()}) and may stop its work at once for the view's
 * {@code shutdownNow()} ({@link #stopNow()}).
 *
 * <p><b>Thread safety.</b> The public methods are thread-safe. {@link #close()} is final and
 * idempotent; it calls {@link #doClose()} exactly once.
 *
 * @since 0.1
 */
public abstract class AbstractPool implements Pool {

  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1); // counted down once doClose() returned
  private final Object executorLock = new Object();
  private volatile PoolExecutorView executor; // made on first use, one per pool
  private final PoolMeter meter;

  /**
   * Creates the pool.
   *
   * @param name a short name for messages, such as {@code "ThreadPool"}
   */
  protected AbstractPool(String name) {
    this.name = Objects.requireNonNull(name, "name");
    this.meter = new PoolMeter(name);
  }

  /**
   * Opens one call: the returned dispatcher runs the call's chunks with {@code task}.
   *
   * @param task the call's task
   * @param options the call's options
   * @param <T> the input type
   * @param <R> the result type
   * @return the dispatcher, closed by the engine when the call ends
   * @throws RejectedExecutionException if the pool is closed
   * @throws RuntimeException if the task cannot be used (for example it does not serialize)
   */
  protected abstract <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task,
      MapOptions options);

  /** Releases the backend's threads and processes after accepted work finished. Called once. */
  protected abstract void doClose();

  /**
   * Whether this backend honours {@link MapOptions#taskTimeout()}. When it does not, calls that
   * set a timeout are refused with {@link UnsupportedOperationException}.
   *
   * @return false unless overridden
   */
  protected boolean supportsTaskTimeout() {
    return false;
  }

  /**
   * Returns the default bound on chunks dispatched and not yet consumed by one call.
   *
   * @return twice the number of workers, unless overridden
   */
  protected int defaultChunksInFlight() {
    return Math.max(2, 2 * workers());
  }

  /**
   * Returns the chunk size used when the caller sets none.
   *
   * @return 0 to let the engine choose from the input size (the default), or a fixed size
   */
  protected int defaultChunkSize() {
    return 0;
  }

  /**
   * Returns the figures only the backend knows: its workers' states, the chunks it holds, its
   * replacements. {@link #stats()} adds the item counters and latencies the engine measures. It is
   * called by whichever thread asks for stats, at any time, also after {@link #close()}; it must
   * not block on work.
   *
   * @return {@link BackendStats#idle(int) all workers idle, nothing queued} unless overridden
   */
  protected BackendStats backendStats() {
    return BackendStats.idle(workers());
  }

  @Override
  public final PoolStats stats() {
    return meter.snapshot(backendStats());
  }

  @Override
  public final <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
      MapOptions options) {
    return this.<T, R>startCall(task, inputs, options, MapCall.Mode.MAP).collect();
  }

  @Override
  public final <T, R> Iterator<R> imap(Task<? super T, ? extends R> task,
      Iterable<? extends T> inputs, MapOptions options) {
    return startCall(task, inputs, options, MapCall.Mode.ORDERED);
  }

  @Override
  public final <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task,
      Iterable<? extends T> inputs, MapOptions options) {
    return startCall(task, inputs, options, MapCall.Mode.UNORDERED);
  }

  @Override
  public final <R> CompletableFuture<R> submit(Job<? extends R> job) {
    Objects.requireNonNull(job, "job");
    checkOpen();
    ChunkDispatcher<Object, R> dispatcher = openCall(new JobTask<R>(job), MapOptions.defaults());
    Object call = JfrEvents.callBegin(name, CallEvent.SUBMIT);
    long start = PoolMeter.jobStartNanos();
    Chunk<Object> job0 = Chunk.ofJob();
    SubmitFuture<R> future = new SubmitFuture<>(dispatcher, (result, error) -> {
      meter.chunkDone(job0, result, error, start);
      JfrEvents.callEnd(call, 1, error instanceof java.util.concurrent.CancellationException ? CallEvent.CANCELLED
          : error != null || result.failed(0) ? CallEvent.FAILED : CallEvent.COMPLETED);
    });
    CompletableFuture<ChunkResult<R>> run;
    try {
      run = dispatcher.dispatch(job0, future);
    } catch (RuntimeException e) {
      dispatcher.close(); // the callback is never told of a dispatch that threw
      throw e;
    }
    future.started(run);
    return future;
  }

  @Override
  public final PoolExecutorService asExecutorService() {
    PoolExecutorView view = executor;
    if (view == null) {
      synchronized (executorLock) {
        view = executor;
        if (view == null) {
          executor = view = new PoolExecutorView(this);
        }
      }
    }
    return view;
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        doClose();
      } finally {
        terminated.countDown();
      }
    }
  }

  /**
   * Whether tasks run in this JVM on the very objects given to the pool, rather than on
   * serialized copies in other processes. The {@link PoolExecutorService} view then tells queued
   * tasks from running ones itself ({@code cancel(false)}, {@code shutdownNow()}).
   *
   * @return true unless overridden
   */
  protected boolean runsTasksInThisJvm() {
    return true;
  }

  /**
   * Stops the backend's work at once, for {@link PoolExecutorService#shutdownNow()}: running
   * tasks are stopped and queued ones dropped, and the jobs and inputs that never started are
   * returned (a submitted job as the {@link Job} itself or its {@link JobTask}). The pool is closed
   * afterwards by the view.
   *
   * @return what never started, or empty when the backend cannot tell (then the view cancels the
   *     tasks it submitted, telling queued from running ones itself if {@link #runsTasksInThisJvm()})
   */
  protected Optional<List<Object>> stopNow() {
    return Optional.empty();
  }

  /** {@return whether {@link #close()} has returned (or failed) in some thread} */
  final boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /**
   * Waits until {@link #close()} has returned in some thread.
   *
   * @param timeout how long at most
   * @param unit its unit
   * @return whether it has
   * @throws InterruptedException if interrupted while waiting
   */
  final boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** {@return whether {@link #close()} was called} */
  protected final boolean isClosed() {
    return closed.get();
  }

  /**
   * Fails if the pool is closed.
   *
   * @throws RejectedExecutionException naming the pool if it is closed
   */
  protected final void checkOpen() {
    if (closed.get()) {
      throw new RejectedExecutionException(name + " is closed; create a new pool");
    }
  }

  @Override
  public String toString() {
    return name + "[workers=" + workers() + (closed.get() ? ", closed" : "") + "]";
  }

  private <T, R> MapCall<T, R> startCall(Task<? super T, ? extends R> task,
      Iterable<? extends T> inputs, MapOptions options, MapCall.Mode mode) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(options, "options");
    checkOpen();
    if (options.taskTimeout().isPresent() && !supportsTaskTimeout()) {
      throw new UnsupportedOperationException(name + " cannot enforce a per-task timeout ("
          + options.taskTimeout().get() + "); use a backend that can, such as ProcessPool");
    }
    int inFlight = options.maxChunksInFlight() > 0 ? options.maxChunksInFlight() : defaultChunksInFlight();
    int chunkSize = options.chunkSize() > 0 ? options.chunkSize() : defaultChunkSize(); // 0: automatic
    ChunkDispatcher<T, R> dispatcher = openCall(task, options);
    return new MapCall<>(dispatcher, inputs, options, mode, workers(), inFlight, chunkSize, meter);
  }

  /**
   * Returns the user's code inside the wrappers this class puts around it: the {@link Job} of
   * {@link #submit}, the {@code Runnable} or {@code Callable} given to the
   * {@link #asExecutorService()} view, unchanged for a {@link Task}. A backend uses it to name or check the class of
   * the code it is about to run (a process backend checks that its workers can load it, and
   * decodes results under the rule that admits its package; a backend finds the user's class
   * loader through it).
   *
   * @param task what {@link #openCall} received
   * @return the innermost user object
   */
  public static Object userCode(Object task) {
    Object code = userJob(task);
    return code instanceof ExecutorJob<?> e ? e.task() : code;
  }

  /**
   * Unwraps a {@link JobTask}.
   *
   * @param task a task or a job
   * @return the job of a {@link JobTask}, anything else unchanged
   */
  static Object userJob(Object task) {
    return task instanceof JobTask<?> job ? job.job() : task;
  }

  /**
   * Runs a {@link Job} as a one-item {@link Task}. Public so that process backends can
   * deserialize it in the worker; not meant to be used directly.
   *
   * @param job the job
   * @param <R> the result type
   */
  public record JobTask<R>(Job<? extends R> job) implements Task<Object, R> {
    @Override
    public R apply(Object ignored) throws Exception {
      return job.call();
    }
  }
}
