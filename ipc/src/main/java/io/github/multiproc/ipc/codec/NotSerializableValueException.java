package io.github.multiproc.ipc.codec;

import java.io.Serial;
import java.util.Objects;

/**
 * A value given to {@link Codec#encode} holds something that cannot be serialized. The caller's
 * fault: the message names the offending class and the path from the value to it, for example
 * {@code lambda com.acme.Foo$$Lambda/0x1234 (io.github.multiproc.Task) -> captured arg 0
 * (java.lang.Thread)}.
 *
 * {@snippet :
 * try {
 *   codec.encode(task);
 * } catch (NotSerializableValueException e) {
 *   // e.offendingClassName() = "java.lang.Thread", e.path() = "... -> captured arg 0 (java.lang.Thread)"
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor, so any
 * thread the exception is handed to reads them safely; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class NotSerializableValueException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /** The binary name of the class that cannot be serialized. */
  private final String offendingClassName;
  /** The path from the encoded value to the offending object, segments joined by " -> ". */
  private final String path;

  /**
   * Creates the exception.
   *
   * @param offendingClassName the class that cannot be serialized
   * @param path the path from the encoded value to the offending object, segments joined by
   *     {@code " -> "}
   * @param cause the serialization failure, or {@code null}
   */
  public NotSerializableValueException(String offendingClassName, String path, Throwable cause) {
    super("value is not serializable: " + offendingClassName + " does not implement"
        + " java.io.Serializable, reached by " + path
        + "; make it Serializable, mark the field transient, or do not capture it", cause);
    this.offendingClassName = Objects.requireNonNull(offendingClassName, "offendingClassName");
    this.path = Objects.requireNonNull(path, "path");
  }

  /**
   * Creates the exception for an object that is {@code Serializable} but refused to be
   * serialized (its {@code writeReplace} or {@code writeObject} threw), such as a pipe end that
   * was already handed out.
   *
   * @param offendingClassName the class of the object that refused
   * @param path the path from the encoded value to it
   * @param refusal why it refused
   * @param cause the serialization failure, or {@code null}
   * @since 0.2
   */
  public NotSerializableValueException(String offendingClassName, String path, String refusal, Throwable cause) {
    super("value cannot be serialized: " + Objects.requireNonNull(refusal, "refusal") + " (a "
        + offendingClassName + ", reached by " + path + ")", cause);
    this.offendingClassName = Objects.requireNonNull(offendingClassName, "offendingClassName");
    this.path = Objects.requireNonNull(path, "path");
  }

  /** {@return the binary name of the class that cannot be serialized} */
  public String offendingClassName() {
    return offendingClassName;
  }

  /** {@return the path from the encoded value to the offending object} */
  public String path() {
    return path;
  }
}
