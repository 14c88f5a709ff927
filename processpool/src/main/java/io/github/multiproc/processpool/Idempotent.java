package io.github.multiproc.processpool;

import io.github.multiproc.Job;
import io.github.multiproc.Task;
import java.io.Serial;

/**
 * Marks a {@link Task} or {@link Job} as safe to run more than once on the same input, so a
 * {@link ProcessPool} may re-run it when the worker running it dies: up to
 * {@link ProcessPool.Builder#idempotentRetries} more times, after which its items fail with
 * {@link io.github.multiproc.WorkerDiedException}. A task that kills every worker it touches
 * therefore fails after the limit; it never takes the pool down.
 *
 * {@snippet :
 * List<Integer> squares = pool.map(Idempotent.task(x -> x * x), inputs);
 * CompletableFuture<String> page = pool.submit(Idempotent.job(() -> fetch(url)));
 * // or implement the marker: (Task<Integer, Integer> & Idempotent) x -> x * x
 * }
 *
 * <p>Unmarked tasks are never re-run after they may have started: a worker's death fails the
 * items of the chunk it was running. Chunks it held but had not started are always re-dispatched.
 *
 * @since 0.1
 */
public interface Idempotent {

  /**
   * Wraps a task as idempotent.
   *
   * @param task the task
   * @param <T> the input type
   * @param <R> the result type
   * @return a task that runs {@code task} and carries the marker
   */
  static <T, R> Task<T, R> task(Task<T, R> task) {
    return new IdempotentTask<>(task);
  }

  /**
   * Wraps a job as idempotent.
   *
   * @param job the job
   * @param <R> the result type
   * @return a job that runs {@code job} and carries the marker
   */
  static <R> Job<R> job(Job<R> job) {
    return new IdempotentJob<>(job);
  }

  /**
   * An idempotent task.
   *
   * @param task the wrapped task
   * @param <T> the input type
   * @param <R> the result type
   */
  record IdempotentTask<T, R>(Task<T, R> task) implements Task<T, R>, Idempotent {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public R apply(T input) throws Exception {
      return task.apply(input);
    }
  }

  /**
   * An idempotent job.
   *
   * @param job the wrapped job
   * @param <R> the result type
   */
  record IdempotentJob<R>(Job<R> job) implements Job<R>, Idempotent {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public R call() throws Exception {
      return job.call();
    }
  }
}
