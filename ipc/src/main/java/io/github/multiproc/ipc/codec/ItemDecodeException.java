package io.github.multiproc.ipc.codec;

import java.io.Serial;

/**
 * One value of a sequence ({@link Codec#decodeAll}) could not be decoded, while the others could:
 * its class is refused or missing here, its bytes are corrupt, or its own deserialization code
 * ({@code readObject}, a record's constructor, a static initializer) threw. The message names the
 * item's index, its class when known, and the reason; {@link #getCause()} is the underlying
 * failure (a {@link RejectedPayloadException} for a refused class or a broken limit).
 *
 * {@snippet :
 * DecodedItems items = codec.decodeAll(bytes, count);
 * for (int i = 0; i < items.size(); i++) {
 *   if (items.failed(i)) {
 *     ItemDecodeException e = items.failure(i);   // e.index() == i
 *     log.warn("result {} lost: {}", i, e.getMessage());
 *   }
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor; the state
 * inherited from {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.2
 */
public class ItemDecodeException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /** The item's position in its sequence. */
  private final int index;
  /** The binary name of the item's class, or null when the bytes did not get that far. */
  private final String valueClassName;

  /**
   * Creates the exception.
   *
   * @param index the item's position in its sequence
   * @param valueClassName the item's class, or {@code null} if unknown
   * @param cause why it did not decode
   */
  public ItemDecodeException(int index, String valueClassName, Throwable cause) {
    this(index, valueClassName, "item " + index, cause);
  }

  /**
   * Creates the exception with a description of what the item is, for callers that know better
   * than its index (for example "the task's result").
   *
   * @param index the item's position in its sequence
   * @param valueClassName the item's class, or {@code null} if unknown
   * @param what what the item is, the start of the message
   * @param cause why it did not decode
   */
  public ItemDecodeException(int index, String valueClassName, String what, Throwable cause) {
    super(what + (valueClassName == null ? "" : " (a " + valueClassName + ")")
        + " could not be decoded: " + describe(cause), cause);
    this.index = index;
    this.valueClassName = valueClassName;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof CodecException && cause.getMessage() != null) {
      return cause.getMessage();
    }
    return String.valueOf(cause);
  }

  /** {@return the item's position in its sequence} */
  public int index() {
    return index;
  }

  /** {@return the binary name of the item's class, or {@code null} if unknown} */
  public String valueClassName() {
    return valueClassName;
  }
}
