package io.github.multiproc;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Something that happened to a pool's workers or items, delivered to a {@link PoolEventListener}.
 * Every event names the process id of the worker concerned.
 *
 * {@snippet :
 * Pool pool = ProcessPool.builder()                    // or ThreadPool.builder(), ClusterPool.builder()
 *     .eventListener(event -> switch (event) {
 *       case PoolEvent.WorkerDied d -> alerts.raise("worker " + d.pid() + " died: " + d.reason());
 *       default -> { }
 *     })
 *     .build();
 * }
 *
 * <p>Which events each backend reports:
 *
 * <table class="striped">
 * <caption>Events by backend</caption>
 * <tr><th>event</th><th>{@code ThreadPool}, {@code VirtualThreadPool}</th><th>{@code ProcessPool}</th>
 *     <th>{@code ClusterPool}</th></tr>
 * <tr><td>{@link WorkerStarted}</td><td>no (threads are not processes)</td><td>each worker JVM, once
 *     it answered the handshake</td><td>each member, when the pool starts and when one joins</td></tr>
 * <tr><td>{@link WorkerDied}</td><td>no</td><td>a worker crashed or was killed</td><td>a member
 *     left or was lost</td></tr>
 * <tr><td>{@link WorkerRetired}</td><td>no</td><td>a worker left as planned (task limit, a task
 *     that ignored its timeout, close)</td><td>no</td></tr>
 * <tr><td>{@link WorkerMemoryExceeded}</td><td>no</td><td>a worker's memory grew too large; it
 *     retires after the chunks it holds</td><td>no</td></tr>
 * <tr><td>{@link WorkerReplaced}</td><td>no</td><td>after a death or retirement</td><td>no (members
 *     are not started by the pool)</td></tr>
 * <tr><td>{@link TaskFailed}</td><td>yes</td><td>yes</td><td>yes</td></tr>
 * <tr><td>{@link TaskTimedOut}</td><td>yes</td><td>yes</td><td>no (no per-task timeouts)</td></tr>
 * </table>
 *
 * <p>{@link WorkerDied} is kept for what needs a person: a worker that leaves as planned,
 * including every worker when the pool closes, reports {@link WorkerRetired}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface PoolEvent {

  /**
   * Returns the process id of the worker concerned: a worker JVM's, a cluster member's (or
   * {@code -1} if the member does not publish it), and this JVM's for the thread backends.
   *
   * @return the pid
   */
  long pid();

  /**
   * A worker said HELLO and is ready (process pool), or a member is part of the cluster (cluster
   * pool).
   *
   * @param pid its pid
   */
  record WorkerStarted(long pid) implements PoolEvent {}

  /**
   * A worker's memory grew too large (process pool): its resident memory passed
   * {@code maxWorkerMemory} after a chunk, or a task threw {@code OutOfMemoryError}. It takes no
   * more chunks, retires once it answered those it holds ({@link WorkerRetired} follows), and is
   * replaced.
   *
   * @param pid its pid
   * @param reason what was measured or thrown, such as {@code "resident memory 612 MiB passed
   *     maxWorkerMemory 512 MiB"}
   */
  record WorkerMemoryExceeded(long pid, String reason) implements PoolEvent {}

  /**
   * A worker died unexpectedly, or was killed by the pool (watchdog, cancellation, protocol
   * error); for a cluster pool, a member left or was lost. A worker that leaves as planned reports
   * {@link WorkerRetired} instead.
   *
   * @param pid its pid
   * @param exitCode its exit code if known
   * @param reason what the pool saw
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
