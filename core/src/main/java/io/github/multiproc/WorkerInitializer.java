package io.github.multiproc;

import java.io.Serializable;

/**
 * Code run once in each worker before its first task, like the {@code initializer} argument of
 * Python's {@code Pool}: open a connection, load a model, warm a cache.
 *
 * {@snippet :
 * try (Pool pool = ThreadPool.builder().workers(4)
 *     .initializer(() -> Locale.setDefault(Locale.ROOT))
 *     .build()) { ... }
 * }
 *
 * <p>If the initializer throws, every task that worker is given fails with a
 * {@link WorkerInitializationException} whose cause is what the initializer threw; the failure
 * is reported per item and never hangs the pool.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface WorkerInitializer extends Serializable {

  /**
   * Prepares the current worker.
   *
   * @throws Exception to mark the worker unusable; its tasks then fail with the cause attached
   */
  void initialize() throws Exception;
}
