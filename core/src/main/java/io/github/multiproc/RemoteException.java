package io.github.multiproc;

import java.io.Serial;
import java.util.Objects;

/**
 * Stands in for an exception thrown in another JVM that could not be rebuilt in this one (its
 * class is missing here, or it did not serialize). It keeps what matters for diagnosis: the
 * remote class name, message and stack trace ({@link #getStackTrace()} is the remote one), and
 * the remote cause chain as further {@code RemoteException}s.
 *
 * {@snippet :
 * catch (TaskFailedException e) {
 *   if (e.getCause() instanceof RemoteException remote) {
 *     log.error("worker threw {}", remote.remoteClassName(), remote);
 *   }
 * }
 * }
 *
 * @since 0.1
 */
public class RemoteException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /** The binary name of the remote exception's class. */
  private final String remoteClassName;
  /** The remote exception's own message, or null. */
  private final String remoteMessage;

  /**
   * Creates the stand-in.
   *
   * @param remoteClassName the binary name of the remote exception's class
   * @param remoteMessage its message, or {@code null}
   * @param remoteStackTrace its stack trace
   * @param remoteCause the stand-in for its cause, or {@code null}
   */
  @SuppressWarnings("this-escape") // setStackTrace is Throwable's; the stack trace is the remote one
  public RemoteException(String remoteClassName, String remoteMessage,
      StackTraceElement[] remoteStackTrace, RemoteException remoteCause) {
    super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), remoteCause);
    this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
    this.remoteMessage = remoteMessage;
    setStackTrace(remoteStackTrace.clone());
  }

  /**
   * Builds the stand-in for a local throwable, cause chain included: what a worker sends when
   * the real exception does not serialize.
   *
   * @param t the throwable to describe
   * @return its stand-in
   */
  public static RemoteException describing(Throwable t) {
    if (t instanceof RemoteException r) {
      return r;
    }
    Throwable cause = t.getCause();
    RemoteException remoteCause = cause == null || cause == t ? null : describing(cause);
    return new RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace(), remoteCause);
  }

  /** {@return the binary name of the remote exception's class} */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** {@return the remote exception's own message, or {@code null}} */
  public String remoteMessage() {
    return remoteMessage;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // the stack trace is the remote one, set in the constructor
  }
}
