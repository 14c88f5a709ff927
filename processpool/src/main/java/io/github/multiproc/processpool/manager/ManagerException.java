package io.github.multiproc.processpool.manager;

import java.io.Serial;

/**
 * A call through a {@link Manager}'s proxy failed because of the manager, not because of the
 * method: it could not start, it is gone, or the caller was interrupted while waiting. Unchecked,
 * since proxies implement interfaces that declare no such exception.
 *
 * @since 0.2
 */
public class ManagerException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the manager
   * @param cause why, or {@code null}
   */
  public ManagerException(String message, Throwable cause) {
    super(message, cause);
  }
}
