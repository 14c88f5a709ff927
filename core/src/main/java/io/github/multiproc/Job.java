package io.github.multiproc;

import java.io.Serializable;

/**
 * A single piece of work submitted with {@link Pool#submit}, the JVM counterpart of the callable
 * passed to Python's {@code Executor.submit}.
 *
 * {@snippet :
 * CompletableFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
 * }
 *
 * <p>Like {@link Task}, a job is {@link Serializable} so that a process backend can run it in a
 * worker JVM.
 *
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface Job<R> extends Serializable {

  /**
   * Runs the job.
   *
   * @return the result
   * @throws Exception anything; the returned future completes exceptionally with it
   */
  R call() throws Exception;
}
