package io.github.multiproc;

import io.github.multiproc.spi.AbstractPool;
import java.util.Objects;

/**
 * Marks a {@link Task} or {@link Job} as safe to run more than once for the same input, so a
 * backend may re-run it on another worker when the worker running it dies (a process killed, a
 * cluster member lost). Unmarked work is never re-run: its item fails with
 * {@link WorkerDiedException} (or the backend's equivalent).
 *
 * {@snippet :
 * Task<Path, Long> size = Idempotent.task(p -> Files.size(p));   // reading twice is harmless
 * pool.map(size, paths);
 *
 * final class Thumbnail implements Task<Path, Path>, Idempotent { ... } // or implement it
 * }
 *
 * <p>Re-running is bounded by the backend's retry limit, so a task that kills every worker it
 * touches fails after the limit instead of taking the pool down with it.
 *
 * @since 0.1
 */
public interface Idempotent {

  /**
   * Marks a task as idempotent.
   *
   * @param task the task
   * @param <T> the input type
   * @param <R> the result type
   * @return a task that runs {@code task} and is {@link Idempotent}
   */
  static <T, R> Task<T, R> task(Task<T, R> task) {
    return new IdempotentTask<>(Objects.requireNonNull(task, "task"));
  }

  /**
   * Marks a job as idempotent.
   *
   * @param job the job
   * @param <R> the result type
   * @return a job that runs {@code job} and is {@link Idempotent}
   */
  static <R> Job<R> job(Job<R> job) {
    return new IdempotentJob<>(Objects.requireNonNull(job, "job"));
  }

  /**
   * Tells whether work may be re-run: it implements {@code Idempotent}, or it is a submitted
   * job (as the pool wraps it) that does.
   *
   * @param taskOrJob a task or job, as a backend receives it
   * @return whether it is marked idempotent
   */
  static boolean isIdempotent(Object taskOrJob) {
    return taskOrJob instanceof Idempotent
        || taskOrJob instanceof AbstractPool.JobTask<?> jobTask && jobTask.job() instanceof Idempotent;
  }

  /**
   * A task marked idempotent by {@link #task}.
   *
   * @param delegate the marked task
   * @param <T> the input type
   * @param <R> the result type
   */
  record IdempotentTask<T, R>(Task<T, R> delegate) implements Task<T, R>, Idempotent {
    @Override
    public R apply(T input) throws Exception {
      return delegate.apply(input);
    }
  }

  /**
   * A job marked idempotent by {@link #job}.
   *
   * @param delegate the marked job
   * @param <R> the result type
   */
  record IdempotentJob<R>(Job<R> delegate) implements Job<R>, Idempotent {
    @Override
    public R call() throws Exception {
      return delegate.call();
    }
  }
}
