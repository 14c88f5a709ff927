package io.github.multiproc.processpool;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Something that happened to a {@link ProcessPool}'s workers or items, delivered to a
 * {@link PoolEventListener}. Every event names the worker's pid.
 *
 * {@snippet :
 * ProcessPool pool = ProcessPool.builder()
 *     .eventListener(event -> switch (event) {
 *       case PoolEvent.WorkerDied d -> alerts.raise("worker " + d.pid() + " died: " + d.reason());
 *       default -> { }
 *     })
 *     .build();
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface PoolEvent {

  /** {@return the process id of the worker concerned} */
  long pid();

  /**
   * A worker said HELLO and is ready.
   *
   * @param pid its pid
   */
  record WorkerStarted(long pid) implements PoolEvent {}

  /**
   * A worker died unexpectedly, or was killed by the pool (watchdog, cancellation, protocol
   * error). A worker that leaves as planned reports {@link WorkerRetired} instead.
   *
   * @param pid its pid
   * @param exitCode its exit code if known
   * @param reason what the parent saw
   */
  record WorkerDied(long pid, OptionalInt exitCode, String reason) implements PoolEvent {}

  /**
   * A worker left as planned: it reached its task limit ({@code maxTasksPerWorker}), it stopped
   * itself after a task ignored its timeout, or the pool closed. Not a failure: a replacement
   * follows unless the pool is closing.
   *
   * @param pid its pid
   * @param reason why it left
   */
  record WorkerRetired(long pid, String reason) implements PoolEvent {}

  /**
   * A replacement worker is ready in place of a dead or retired one.
   *
   * @param pid the new worker's pid
   * @param replacedPid the old worker's pid
   */
  record WorkerReplaced(long pid, long replacedPid) implements PoolEvent {}

  /**
   * An item failed: its task threw, or the infrastructure failed it.
   *
   * @param pid the worker that held it
   * @param index the input's position in its call, or {@code -1} for a submitted job
   * @param failure why
   */
  record TaskFailed(long pid, long index, Throwable failure) implements PoolEvent {}

  /**
   * An item ran past its per-task timeout.
   *
   * @param pid the worker that ran it
   * @param index the input's position in its call, or {@code -1} for a submitted job
   * @param timeout the timeout in force
   */
  record TaskTimedOut(long pid, long index, Duration timeout) implements PoolEvent {}
}
