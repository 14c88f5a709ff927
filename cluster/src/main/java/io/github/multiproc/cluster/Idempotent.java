package io.github.multiproc.cluster;

import io.github.multiproc.Task;
import java.util.Objects;

/**
 * Marks a task as safe to run more than once on the same input: when the cluster member running
 * it leaves or dies, {@link ClusterPool} re-runs its chunk on another member instead of failing
 * it with {@link MemberLostException}. A task is idempotent when a second run leaves the world as
 * one run would (pure functions are; "append a line to a file" is not).
 *
 * {@snippet :
 * // a class
 * record Square() implements Task<Integer, Integer>, Idempotent {
 *   public Integer apply(Integer x) { return x * x; }
 * }
 * // a lambda
 * pool.map(Idempotent.task((Integer x) -> x * x), inputs);
 * }
 *
 * <p>This is a marker; it adds no method. The number of members a chunk may be tried on is
 * {@link ClusterPool.Builder#maxAttempts(int)}.
 *
 * @since 0.1
 */
public interface Idempotent {

  /**
   * Wraps a task (typically a lambda) so that it is marked idempotent.
   *
   * @param task the task, safe to run more than once per input
   * @param <T> the input type
   * @param <R> the result type
   * @return the same function, marked
   */
  static <T, R> Task<T, R> task(Task<T, R> task) {
    return new IdempotentTask<>(Objects.requireNonNull(task, "task"));
  }

  /**
   * Whether a task is marked idempotent.
   *
   * @param task any task
   * @return true if it (or the task it wraps) implements this interface
   */
  static boolean isIdempotent(Object task) {
    return task instanceof Idempotent;
  }

  /**
   * A task marked idempotent by {@link #task}.
   *
   * @param delegate the task
   * @param <T> the input type
   * @param <R> the result type
   */
  record IdempotentTask<T, R>(Task<T, R> delegate) implements Task<T, R>, Idempotent {
    @Override
    public R apply(T input) throws Exception {
      return delegate.apply(input);
    }
  }
}
