package io.github.multiproc.processpool.manager;

import java.io.Serial;

/**
 * The manager behind a proxy is gone: it was closed by its owner, its process died, or its
 * owner died (which ends it). Every call on its proxies fails with this at once, from every
 * process; nothing waits for a manager that will not answer.
 *
 * {@snippet :
 * try {
 *   scores.put("alice", 3);
 * } catch (ManagerGoneException e) {
 *   log.warn("shared state lost: {}", e.getMessage()); // names the manager and its pid
 * }
 * }
 *
 * @since 0.2
 */
public class ManagerGoneException extends ManagerException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which manager, and how its loss was seen
   * @param cause the I/O failure that showed it, or {@code null}
   */
  public ManagerGoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
