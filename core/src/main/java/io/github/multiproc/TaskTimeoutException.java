package io.github.multiproc;

import java.io.Serial;
import java.time.Duration;
import java.util.Optional;

/**
 * The task ran past the per-task timeout set with {@link MapOptions.Builder#taskTimeout}.
 *
 * <p>The pool interrupted the task when the time ran out; a process backend also kills and
 * replaces the worker if the task does not stop within its grace period. Other inputs are not
 * affected.
 *
 * <p>The timeout counts wall-clock time from the item's start. An item that spent most of it
 * blocked, or waiting for a CPU (more busy threads or processes than cores), times out like one
 * that computed for all of it; where the backend measured the item's CPU time (a process pool's
 * workers do), {@link #cpuTime()} returns it and the message says how little it was.
 *
 * @since 0.1
 */
public class TaskTimeoutException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** The per-task timeout that ran out. */
  private final Duration timeout;
  /** The CPU time the item used before the timeout ran out, or null when not measured. */
  private final Duration cpuTime;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param timeout the timeout that ran out
   */
  public TaskTimeoutException(long index, Duration timeout) {
    this(index, timeout, null);
  }

  /**
   * Creates the exception with the CPU time the item used while its timeout ran.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param timeout the timeout that ran out
   * @param cpuTime the item's CPU time until the timeout ran out, or null when not measured
   * @since 0.1
   */
  public TaskTimeoutException(long index, Duration timeout, Duration cpuTime) {
    super(index, (index == NO_INDEX ? "task" : "task on input #" + index)
        + " did not finish within its timeout of " + timeout + starvation(timeout, cpuTime), null);
    this.timeout = timeout;
    this.cpuTime = cpuTime;
  }

  /* Twice the CPU time against the timeout, not the timeout halved: Duration.dividedBy goes through
     BigDecimal, a fresh JVM's ~25 ms. */
  private static String starvation(Duration timeout, Duration cpuTime) {
    if (cpuTime == null || cpuTime.plus(cpuTime).compareTo(timeout) >= 0) {
      return "";
    }
    return " (it was on a CPU for " + cpuTime.toNanos() / 1000 / 1000.0 + " ms of it; the rest of the time it was"
        + " blocked (sleep, I/O, a lock) or waiting for a CPU: more busy threads or processes than cores?)";
  }

  /**
   * Returns the timeout that ran out.
   *
   * @return the per-task timeout in force
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns the CPU time the item used from its start until the timeout ran out, when the backend
   * measured it (a process pool's workers do). Much less than {@link #timeout()} means the item
   * was starved of CPU rather than slow.
   *
   * @return the item's CPU time, or empty when not measured
   * @since 0.1
   */
  public Optional<Duration> cpuTime() {
    return Optional.ofNullable(cpuTime);
  }
}
