package io.github.multiproc.ipc.codec;

import java.io.Serial;

/**
 * A value could not be turned into bytes, or bytes into a value. Unchecked, so that callers of
 * {@link Codec} deal with it where they can do something about it. Subtypes say whose fault it
 * was: {@link NotSerializableValueException} (the caller's value),
 * {@link RejectedPayloadException} (the payload's sender); a plain {@code CodecException} on
 * decode means the bytes are not a valid stream for this codec, or a class is missing here.
 *
 * {@snippet :
 * try {
 *   Object value = codec.decode(bytes);
 * } catch (CodecException e) {
 *   log.error("could not decode a {}-byte payload", bytes.length, e);
 * }
 * }
 *
 * <p>Thread safety: adds no state to {@link RuntimeException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class CodecException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be coded and why
   * @param cause the underlying failure, or {@code null}
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what could not be coded and why
   */
  public CodecException(String message) {
    super(message);
  }
}
