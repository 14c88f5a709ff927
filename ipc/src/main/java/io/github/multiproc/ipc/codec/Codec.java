package io.github.multiproc.ipc.codec;

/**
 * Turns values into payload bytes and back: the serialization SPI used by frames and pipes.
 * The default implementation is {@link JdkCodec}.
 *
 * {@snippet :
 * Codec codec = JdkCodec.create();
 * byte[] bytes = codec.encode(List.of(1, 2, 3));
 * List<?> back = codec.decode(bytes, List.class);
 * }
 *
 * <p>Contract for implementations: {@code decode(encode(v))} is equal to {@code v} for every
 * value the codec accepts; {@code encode} fails with {@link NotSerializableValueException} for a
 * value it cannot represent, before producing output; {@code decode} must never exhaust memory
 * or run without bound on hostile bytes: it fails with {@link RejectedPayloadException} or
 * {@link CodecException} instead.
 *
 * <p>Thread safety: implementations must be safe for concurrent use by many threads.
 *
 * @since 0.1
 */
public interface Codec {

  /**
   * Encodes a value.
   *
   * @param value the value, may be {@code null} if the codec supports it
   * @return the payload bytes; a new array owned by the caller
   * @throws NotSerializableValueException if the value (or something it references) cannot be
   *     encoded; the message names the class and the path to it
   * @throws CodecException if encoding fails for another reason
   */
  byte[] encode(Object value) throws CodecException;

  /**
   * Decodes a value.
   *
   * @param bytes a payload produced by {@link #encode} of a compatible codec
   * @return the value
   * @throws RejectedPayloadException if the payload breaks a limit or names a refused class
   * @throws CodecException if the bytes are not a valid payload, or a class is missing
   */
  Object decode(byte[] bytes) throws CodecException;

  /**
   * Decodes a value and checks its type.
   *
   * @param bytes a payload produced by {@link #encode}
   * @param type the expected type of the value
   * @param <T> the expected type
   * @return the value, {@code null} if {@code null} was encoded
   * @throws CodecException if decoding fails or the value is not a {@code type}
   */
  default <T> T decode(byte[] bytes, Class<T> type) throws CodecException {
    Object v = decode(bytes);
    if (v != null && !type.isInstance(v)) {
      throw new CodecException("decoded value must be a " + type.getName() + ": was a "
          + v.getClass().getName());
    }
    return type.cast(v);
  }
}
