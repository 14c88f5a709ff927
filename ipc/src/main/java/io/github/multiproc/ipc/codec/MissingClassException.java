package io.github.multiproc.ipc.codec;

import java.io.Serial;
import java.util.Objects;

/**
 * A payload names a class that is not on this JVM's class path (or not visible to the codec's
 * class loader): a deployment fault, not a hostile payload.
 *
 * {@snippet :
 * catch (MissingClassException e) {
 *   log.error("deploy {} to this JVM too", e.className());
 * }
 * }
 *
 * <p>Thread safety: the field this class adds is final and set by the constructor; the state
 * inherited from {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.2
 */
public class MissingClassException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /** The binary name of the missing class. */
  private final String className;

  /**
   * Creates the exception.
   *
   * @param className the missing class
   * @param cause the {@link ClassNotFoundException}, or {@code null}
   */
  public MissingClassException(String className, Throwable cause) {
    super("decoding failed: class " + className + " is not on this JVM's class path", cause);
    this.className = Objects.requireNonNull(className, "className");
  }

  /** {@return the binary name of the missing class} */
  public String className() {
    return className;
  }
}
