package io.github.multiproc;

import java.io.Serial;

/**
 * The worker given this input could not run it because its {@link WorkerInitializer} failed;
 * the cause is what the initializer threw.
 *
 * @since 0.1
 */
public class WorkerInitializationException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param cause what the initializer threw
   */
  public WorkerInitializationException(long index, Throwable cause) {
    super(index, "the worker's initializer failed, so "
        + (index == NO_INDEX ? "the task" : "input #" + index) + " could not run: " + cause, cause);
  }
}
