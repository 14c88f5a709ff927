package io.github.multiproc.spi;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolExecutorService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PoolExecutorService} of an {@link AbstractPool}: each task becomes an
 * {@link ExecutorJob} given to {@link AbstractPool#submit}, and its future a {@code TaskFuture} that
 * completes from the pool's and knows how to cancel it.
 *
 * <pre>
 *  RUNNING ──shutdown()/shutdownNow()/pool.close()──▶ SHUTDOWN ──pool closed──▶ TERMINATED
 * </pre>
 *
 * {@code shutdown()} hands {@code pool.close()} to a thread of its own
 * ({@code multiproc-executor-shutdown-<n>}, not a daemon, so accepted work finishes before the JVM
 * exits, as with {@code ThreadPoolExecutor}); the view is terminated when the pool's close
 * returns ({@link AbstractPool#awaitClosed}).
 *
 * <p>Thread-safe: the accepting flag is atomic, the live tasks a concurrent map in submission
 * order; nothing is called under a lock.
 */
final class PoolExecutorView implements PoolExecutorService {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(PoolExecutorView.class);
  }
  private static final AtomicInteger SHUTDOWN_THREADS = new AtomicInteger();

  private final AbstractPool pool;
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final AtomicBoolean closeStarted = new AtomicBoolean();
  /* Tasks submitted through this view and not yet done, in submission order; each removes itself when done. */
  private final ConcurrentSkipListMap<Long, TaskFuture<?>> live = new ConcurrentSkipListMap<>();
  private final AtomicLong submissions = new AtomicLong();

  PoolExecutorView(AbstractPool pool) {
    this.pool = pool;
  }

  @Override
  public Pool pool() {
    return pool;
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    submit(ExecutorJob.of(command), null).whenComplete((v, e) -> {
      if (e != null && !(e instanceof CancellationException)) {
        Log.LOG.warn("a task given to execute() failed: {}", command, e);
      }
    });
  }

  @Override
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    return submit(ExecutorJob.of(Objects.requireNonNull(task, "task")), null);
  }

  @Override
  public <T> CompletableFuture<T> submit(Runnable task, T result) {
    return submit(ExecutorJob.of(Objects.requireNonNull(task, "task")), result);
  }

  @Override
  public CompletableFuture<?> submit(Runnable task) {
    return submit(task, null);
  }

  /** Runs a job; a runnable's future takes {@code result}, a callable's the job's value. */
  private <T> TaskFuture<T> submit(ExecutorJob<?> job, T result) {
    if (!accepting.get() || pool.isClosed()) {
      throw new RejectedExecutionException(pool + " is shut down; create a new pool");
    }
    TaskFuture<T> task = new TaskFuture<>(submissions.incrementAndGet(), job, pool.runsTasksInThisJvm());
    live.put(task.sequence, task);
    CompletableFuture<?> running;
    try {
      running = pool.submit(job); // refuses a task that does not serialize, here, on the caller's thread
    } catch (RuntimeException e) {
      live.remove(task.sequence);
      throw e;
    }
    task.start(running, job.isCallable(), result);
    return task;
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    List<TaskFuture<T>> futures = submitAll(tasks);
    try {
      for (TaskFuture<T> f : futures) {
        awaitDone(f);
      }
      return new ArrayList<>(futures);
    } catch (InterruptedException | RuntimeException | Error e) {
      cancelAll(futures);
      throw e;
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    List<TaskFuture<T>> futures = submitAll(tasks);
    try {
      for (TaskFuture<T> f : futures) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          f.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
          // its future says so; the caller looks
        } catch (TimeoutException e) {
          break;
        }
      }
      cancelAll(futures); // the ones not done by the deadline
      return new ArrayList<>(futures);
    } catch (InterruptedException | RuntimeException | Error e) {
      cancelAll(futures);
      throw e;
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    try {
      return any(tasks, false, 0);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no deadline was set", e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(unit, "unit");
    return any(tasks, true, System.nanoTime() + unit.toNanos(timeout));
  }

  private <T> T any(Collection<? extends Callable<T>> tasks, boolean timed, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(tasks, "tasks");
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task");
    }
    BlockingQueue<TaskFuture<T>> done = new LinkedBlockingQueue<>();
    List<TaskFuture<T>> futures = submitAll(tasks);
    try {
      futures.forEach(f -> f.whenComplete((v, e) -> done.add(f)));
      ExecutionException last = null;
      for (int left = futures.size(); left > 0; left--) {
        TaskFuture<T> f = timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : done.take();
        if (f == null) {
          throw new TimeoutException("no task of invokeAny completed within the timeout");
        }
        try {
          return f.get();
        } catch (ExecutionException e) {
          last = e;
        } catch (CancellationException e) {
          last = new ExecutionException(e);
        }
      }
      throw last;
    } finally {
      cancelAll(futures);
    }
  }

  /** Submits every task, or none: a null task is found first, and a refusal cancels those submitted. */
  private <T> List<TaskFuture<T>> submitAll(Collection<? extends Callable<T>> tasks) {
    Objects.requireNonNull(tasks, "tasks");
    List<Callable<T>> copy = new ArrayList<>(tasks.size());
    for (Callable<T> t : tasks) {
      copy.add(Objects.requireNonNull(t, "a task is null"));
    }
    List<TaskFuture<T>> futures = new ArrayList<>(copy.size());
    try {
      for (Callable<T> t : copy) {
        futures.add(submit(ExecutorJob.of(t), null));
      }
    } catch (RuntimeException | Error e) {
      cancelAll(futures);
      throw e;
    }
    return futures;
  }

  private static void awaitDone(Future<?> f) throws InterruptedException {
    try {
      f.get();
    } catch (ExecutionException | CancellationException e) {
      // its future says so; the caller looks
    }
  }

  /**
   * Cancels, newest first: the queued tasks go before the running ones are interrupted, so that a
   * worker freed by an interrupt finds none of them to start.
   */
  private static void cancelAll(List<? extends Future<?>> futures) {
    for (Future<?> f : futures.reversed()) {
      if (!f.isDone()) {
        f.cancel(true);
      }
    }
  }

  @Override
  public void shutdown() {
    accepting.set(false);
    closeInBackground();
  }

  @Override
  public List<Runnable> shutdownNow() {
    accepting.set(false);
    List<TaskFuture<?>> submitted = List.copyOf(live.values()); // before the pool fails what it drops
    List<Runnable> neverStarted = new ArrayList<>();
    Optional<List<Object>> fromPool = pool.stopNow();
    if (fromPool.isPresent()) {
      Set<Object> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
      fromPool.get().forEach(o -> dropped.add(AbstractPool.userJob(o)));
      for (TaskFuture<?> t : submitted) {
        if (dropped.contains(t.job)) {
          neverStarted.add(t.asRunnable());
        }
      }
    } else if (pool.runsTasksInThisJvm()) {
      for (TaskFuture<?> t : submitted) {
        if (t.job.cancelIfNotStarted()) {
          neverStarted.add(t.asRunnable());
        }
      }
    }
    cancelAll(submitted);
    closeInBackground();
    return neverStarted;
  }

  private void closeInBackground() {
    if (pool.isClosed() || !closeStarted.compareAndSet(false, true)) {
      return;
    }
    Thread.ofPlatform().daemon(false).name("multiproc-executor-shutdown-" + SHUTDOWN_THREADS.incrementAndGet())
        .start(pool::close);
  }

  @Override
  public boolean isShutdown() {
    return !accepting.get() || pool.isClosed();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitClosed(timeout, unit);
  }

  @Override
  public String toString() {
    return "PoolExecutorService[" + pool + (isTerminated() ? ", terminated" : isShutdown() ? ", shut down" : "")
        + ", active=" + live.size() + "]";
  }

  /**
   * The future of one task: completes from the pool's future, and cancels it as the
   * {@code ExecutorService} contract says ({@code cancel(false)} never interrupts).
   *
   * @param <T> the result type
   */
  private final class TaskFuture<T> extends CompletableFuture<T> {
    private final long sequence;
    private final ExecutorJob<?> job;
    private final boolean inThisJvm;
    private volatile CompletableFuture<?> running;

    TaskFuture(long sequence, ExecutorJob<?> job, boolean inThisJvm) {
      this.sequence = sequence;
      this.job = job;
      this.inThisJvm = inThisJvm;
    }

    @SuppressWarnings("unchecked")
    void start(CompletableFuture<?> running, boolean callable, T result) {
      this.running = running;
      running.whenComplete((v, e) -> {
        if (e == null) {
          complete(callable ? (T) v : result);
        } else {
          completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause() : e);
        }
      });
      whenComplete((v, e) -> live.remove(sequence));
      if (isCancelled()) {
        running.cancel(true); // cancelled by shutdownNow() before the pool's future was known
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      CompletableFuture<?> r = running;
      if (cancelled && r != null) {
        if (mayInterruptIfRunning || inThisJvm && job.cancelIfNotStarted()) {
          r.cancel(true); // interrupt it, or drop it from the queue: it will not start
        }
      }
      return cancelled;
    }

    Runnable asRunnable() {
      return job.isCallable() ? new CallableTask(job.task()) : (Runnable) job.task();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /** A never-started {@code Callable} in the list {@code shutdownNow()} returns. */
  private record CallableTask(Object callable) implements Runnable {
    @Override
    public void run() {
      try {
        ((Callable<?>) callable).call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }

    @Override
    public String toString() {
      return callable.toString();
    }
  }
}
