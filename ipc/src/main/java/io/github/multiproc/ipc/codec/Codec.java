package io.github.multiproc.ipc.codec;

import java.util.List;

/**
 * Turns values into payload bytes and back: the serialization SPI used by pools and pipes. The
 * default implementation is {@link JdkCodec}; {@link FastPathCodec} puts a few-byte encoding of
 * the commonest values in front of any codec.
 *
 * {@snippet :
 * Codec codec = JdkCodec.create();
 * byte[] bytes = codec.encode(List.of(1, 2, 3));
 * List<?> back = codec.decode(bytes, List.class);
 *
 * byte[] many = codec.encodeAll(List.of(a, b, c));         // one unit, decoded item by item
 * DecodedItems items = codec.decodeAll(many, 3);           // a bad b fails alone
 * }
 *
 * <p>Contract for implementations: {@code decode(encode(v))} is equal to {@code v} for every
 * value the codec accepts; {@code encode} fails with {@link NotSerializableValueException} for a
 * value it cannot represent, before producing output; {@code decode} must never exhaust memory
 * or run without bound on hostile bytes: it fails with {@link RejectedPayloadException} or
 * {@link CodecException} instead, and decodes only the classes its rule allows (see
 * {@link AllowRule}).
 *
 * <p><b>Why {@link io.github.multiproc.ipc.shm.MessageCodec} is a second interface.</b> A
 * {@code Codec} is an engine: untyped, configured in the JVM that uses it (its allow rule, its
 * class loader), not serializable. A {@code MessageCodec<T>} is the typed, serializable
 * <em>description</em> of how one queue's messages are coded, which travels with the queue's
 * handle to other JVMs and is rebuilt there; {@link io.github.multiproc.ipc.shm.MessageCodec#of}
 * adapts any {@code Codec}.
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
   * @throws GraphTooDeepException if the value nests objects deeper than the codec decodes
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

  /**
   * Encodes a sequence of values as one unit that {@link #decodeAll} decodes item by item. The
   * default encodes them as one {@code Object[]}; {@link JdkCodec} keeps the items independent,
   * so that one that does not decode fails alone.
   *
   * @param values the values, any may be {@code null}
   * @return the payload bytes
   * @throws NotSerializableValueException if a value cannot be encoded (nothing is produced)
   * @throws CodecException if encoding fails for another reason
   */
  default byte[] encodeAll(List<?> values) throws CodecException {
    return encode(values.toArray());
  }

  /**
   * Decodes what {@link #encodeAll} produced: each item's value or why it did not decode. The
   * default decodes the whole {@code Object[]}; if that fails, every item fails with the cause.
   *
   * @param bytes a payload produced by {@link #encodeAll} of a compatible codec
   * @param count how many items the payload must hold
   * @return the outcome of every item
   * @throws CodecException if the payload as a whole is malformed (not {@code count} items)
   */
  default DecodedItems decodeAll(byte[] bytes, int count) throws CodecException {
    Object decoded;
    try {
      decoded = decode(bytes);
    } catch (CodecException e) {
      DecodedItems out = new DecodedItems(count);
      for (int i = 0; i < count; i++) {
        out.fail(i, new ItemDecodeException(i, null, e));
      }
      return out;
    }
    if (!(decoded instanceof Object[] array) || array.length != count) {
      throw new CodecException("a sequence of " + count + " values must decode to an Object[" + count
          + "]: got " + (decoded == null ? "null" : decoded.getClass().getName()));
    }
    return DecodedItems.of(array);
  }

  /**
   * Returns a codec that also decodes the classes of {@code type}'s package: pools call it with
   * each call's task class, so that a task's own result and exception classes come back without
   * configuration. Codecs without a class rule return themselves.
   *
   * @param type a class whose package may be decoded, such as a task's class
   * @return a codec allowing that package
   */
  default Codec allowingPackageOf(Class<?> type) {
    return this;
  }

  /**
   * Returns a codec for a trusted sender: it decodes any class that its deny list does not
   * refuse (limits still apply). For a worker decoding what its own parent sent; never for what
   * a worker, a pipe peer or a network peer sent. Codecs without a class rule return themselves.
   *
   * @return a codec that trusts the sender's classes
   */
  default Codec trustingSender() {
    return this;
  }
}
