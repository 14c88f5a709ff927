package io.github.multiproc.processpool;

import java.io.Serial;

/**
 * A task threw {@link OutOfMemoryError} in a worker JVM. Only that item fails, with this
 * exception (its cause is the worker's {@code OutOfMemoryError}, with its stack trace); the
 * worker answers the rest of its chunk, takes no more, and is replaced (a
 * {@link io.github.multiproc.PoolEvent.WorkerMemoryExceeded} event, counted in
 * {@code PoolStats.replacements().overMemory()}). The fault is the task's footprint against the
 * worker's heap: give workers more ({@code jvmArgs("-Xmx2g")}) or make the task need less.
 *
 * {@snippet :
 * try {
 *   pool.map(Images::decode, files);
 * } catch (TaskFailedException e) {
 *   if (e.getCause() instanceof WorkerOutOfMemoryException oom) {
 *     log.warn("input #{} needs a bigger heap: {}", e.index(), oom.getMessage());
 *   }
 * }
 * }
 *
 * <p>Thread safety: immutable once thrown, like any {@link RuntimeException}.
 *
 * @since 0.2
 */
public class WorkerOutOfMemoryException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param pid the worker's pid
   * @param maxHeapBytes the worker's heap limit ({@code Runtime.maxMemory()})
   * @param cause the worker's error
   */
  public WorkerOutOfMemoryException(long pid, long maxHeapBytes, OutOfMemoryError cause) {
    super("the task ran out of memory in worker pid " + pid + " (" + cause + ", max heap "
        + (maxHeapBytes >> 20) + " MiB); only this input failed, and the worker is replaced after its chunk: give "
        + "workers more memory with ProcessPool.builder().jvmArgs(\"-Xmx...\") or make the task need less", cause);
  }
}
