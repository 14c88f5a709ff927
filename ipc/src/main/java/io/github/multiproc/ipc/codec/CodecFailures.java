package io.github.multiproc.ipc.codec;

import java.io.InvalidClassException;
import java.io.NotSerializableException;

/**
 * The exceptions {@link JdkCodec} throws when a value does not encode or a payload does not
 * decode, each saying whose fault it was: a value's class and field path, the decode filter's
 * refusal, a missing class, the JVM-wide serial filter, or a stream that is not one.
 *
 * <p>Thread safety: stateless.
 */
final class CodecFailures {

  private CodecFailures() {}

  /**
   * Explains why a value did not encode.
   *
   * @param value the value
   * @param e what JDK serialization threw
   * @return the exception naming the class and field path that refused
   */
  static NotSerializableValueException notSerializable(Object value, NotSerializableException e) {
    SerializabilityInspector.Finding f = SerializabilityInspector.find(value).orElse(null);
    if (f == null) { // nothing found by the walk: some writeObject refused, and said why
      return new NotSerializableValueException(SerializabilityInspector.describe(value),
          SerializabilityInspector.describe(value), String.valueOf(e.getMessage()), e);
    }
    return f.refusal() == null ? new NotSerializableValueException(f.className(), f.path(), e)
        : new NotSerializableValueException(f.className(), f.path(), f.refusal(), e);
  }

  /**
   * Turns a decode failure into the exception that says whose fault it was.
   *
   * @param filter the decode's filter, which may have refused a class
   * @param e what the stream threw
   * @param length the payload's length, for the message
   * @return the codec's exception
   */
  static CodecException decodeFailure(DecodeFilter filter, Throwable e, int length) {
    if (filter.rejection() != null) {
      return new RejectedPayloadException("payload refused by the decode filter: " + filter.rejection(),
          filter.rejectedClass(), e);
    }
    if (e instanceof ClassNotFoundException) {
      return new MissingClassException(e.getMessage(), e);
    }
    if (e instanceof InvalidClassException && e.getMessage() != null && e.getMessage().contains("REJECTED")) {
      return new RejectedPayloadException("payload refused by the JVM-wide serial filter"
          + " (jdk.serialFilter): " + e.getMessage(), e);
    }
    if (e instanceof CodecException c) {
      return c;
    }
    return new CodecException("decoding failed: the " + length
        + "-byte payload is not a valid JDK serialization stream: " + e, e);
  }
}
