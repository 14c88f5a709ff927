package io.github.multiproc;

import java.io.Serializable;

/**
 * A function applied to each input of a {@link Pool#map map} call, the JVM counterpart of the
 * function passed to Python's {@code Pool.map}.
 *
 * <p>A task is {@link Serializable} so that a process backend can send it to a worker JVM; a
 * lambda assigned to {@code Task} is serializable as long as everything it captures is. Thread
 * backends never serialize it.
 *
 * {@snippet :
 * Task<Integer, Integer> square = x -> x * x;
 * List<Integer> squares = pool.map(square, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 *
 * <p><b>Thread safety.</b> A pool may call {@code apply} from several threads at once, and, on a
 * process backend, on separate copies in separate JVMs. Tasks should not rely on shared mutable
 * state unless the backend shares memory (see {@link Pool}).
 *
 * @param <T> the input type
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {

  /**
   * Computes the result for one input.
   *
   * @param input one element of the inputs passed to the pool
   * @return the result for {@code input}
   * @throws Exception anything; the pool reports it as the cause of a {@link TaskFailedException}
   */
  R apply(T input) throws Exception;
}
