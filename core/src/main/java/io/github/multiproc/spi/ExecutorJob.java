package io.github.multiproc.spi;

import io.github.multiproc.Job;
import java.io.Serial;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code Runnable} or {@code Callable} given to a pool's {@link io.github.multiproc.PoolExecutorService},
 * as the {@link Job} the pool runs. It serializes as the user's task and which of the two it is,
 * so a process backend's codec names the user's class and field path when it does not serialize.
 *
 * <p>In a backend that runs tasks in this JVM on this very object, a small state machine tells
 * whether the task has started, so that {@code cancel(false)} and {@code shutdownNow()} can keep
 * a queued task from ever running:
 *
 * <pre>
 *   NEW ──call()──▶ STARTED        (the user's code runs)
 *   NEW ──cancel()─▶ CANCELLED     (call() will throw CancellationException without running it)
 * </pre>
 *
 * A serialized copy starts in no state ({@code transient}) and just runs.
 *
 * @param <T> the result type
 */
final class ExecutorJob<T> implements Job<T> {

  @Serial private static final long serialVersionUID = 1L;

  private static final int NEW = 0;
  private static final int STARTED = 1;
  private static final int CANCELLED = 2;

  /** The user's task: a {@link Callable} or a {@link Runnable} (a class may be both). */
  private final Object task;
  /** Whether it was given as a {@link Callable}: call it, else run it. */
  private final boolean callable;
  private final transient AtomicInteger state = new AtomicInteger(NEW);

  private ExecutorJob(Object task, boolean callable) {
    this.task = Objects.requireNonNull(task, "task");
    this.callable = callable;
  }

  static <T> ExecutorJob<T> of(Callable<T> task) {
    return new ExecutorJob<>(task, true);
  }

  static ExecutorJob<Object> of(Runnable task) {
    return new ExecutorJob<>(task, false);
  }

  /** {@return the user's task, as it was given} */
  Object task() {
    return task;
  }

  /** {@return whether the task was given as a {@link Callable}, whose value is the result} */
  boolean isCallable() {
    return callable;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T call() throws Exception {
    if (state != null && !state.compareAndSet(NEW, STARTED)) {
      throw new CancellationException("cancelled before it started");
    }
    if (callable) {
      return (T) ((Callable<?>) task).call();
    }
    ((Runnable) task).run();
    return null;
  }

  /**
   * Makes sure the task will not start here, if it has not.
   *
   * @return true if it had not started (and now never will), false if it has started
   */
  boolean cancelIfNotStarted() {
    return state.compareAndSet(NEW, CANCELLED) || state.get() == CANCELLED;
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
