package io.github.multiproc;

import java.io.Serial;
import java.time.Duration;

/**
 * The task ran past the per-task timeout set with {@link MapOptions.Builder#taskTimeout}.
 *
 * <p>The pool interrupted the task when the time ran out; a process backend also kills and
 * replaces the worker if the task does not stop within its grace period. Other inputs are not
 * affected.
 *
 * @since 0.1
 */
public class TaskTimeoutException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** The per-task timeout that ran out. */
  private final Duration timeout;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param timeout the timeout that ran out
   */
  public TaskTimeoutException(long index, Duration timeout) {
    super(index, (index == NO_INDEX ? "task" : "task on input #" + index)
        + " did not finish within its timeout of " + timeout, null);
    this.timeout = timeout;
  }

  /**
   * Returns the timeout that ran out.
   *
   * @return the per-task timeout in force
   */
  public Duration timeout() {
    return timeout;
  }
}
