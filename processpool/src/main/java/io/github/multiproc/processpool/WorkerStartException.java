package io.github.multiproc.processpool;

import java.io.Serial;

/**
 * A worker JVM could not be started, or did not say it was ready before its start timeout. The
 * message names the likely causes, the command line and the worker's stderr. The fault lies with
 * the environment or the pool's options (class path, JVM arguments, an overloaded machine), not
 * with a task.
 *
 * @since 0.1
 */
public class WorkerStartException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, the likely causes and the worker's stderr
   * @param cause the underlying failure, or null
   */
  public WorkerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
