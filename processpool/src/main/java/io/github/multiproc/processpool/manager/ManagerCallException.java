package io.github.multiproc.processpool.manager;

import java.io.Serial;

/**
 * A method that ran inside the manager threw an exception that the caller's method cannot
 * throw as it is (a checked exception the interface does not declare, or one whose class could
 * not be rebuilt here), or one operation of a {@link ManagerBatch} failed. The cause is the
 * remote exception, with its remote stack trace (or its {@link io.github.multiproc.RemoteException}
 * stand-in).
 *
 * @since 0.2
 */
public class ManagerCallException extends ManagerException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which object and method, on which manager
   * @param cause what the method threw in the manager
   */
  public ManagerCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
