package io.github.multiproc.ipc.shm;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the messages of a {@link SharedQueue} into bytes and back. It travels with the queue's
 * handle to other JVMs, hence {@link Serializable}. Built-in codecs cover raw bytes, strings,
 * longs and JDK serialization ({@link JdkCodec}); {@link #of} adapts any other {@link Codec}.
 *
 * {@snippet :
 * SharedQueue<String> lines = SharedQueue.builder(MessageCodec.utf8()).capacity(1024).create();
 * SharedQueue<Order> orders = SharedQueue.builder(MessageCodec.serialized(Order.class)).create();
 * }
 *
 * <p>Why a second interface beside {@link Codec}: a {@code MessageCodec} is the typed,
 * serializable <em>description</em> of how one queue's messages are coded, which travels with the
 * queue's handle and is rebuilt in every JVM that attaches; a {@code Codec} is an untyped engine,
 * configured in the JVM that uses it (its allow rule, its class loader) and not serializable.
 * {@link #of} joins the two.
 *
 * <p>Implementations must be thread-safe (one codec serves all threads of a queue) and must not
 * return {@code null} from {@link #encode}.
 *
 * @param <T> the message type
 * @since 0.1
 */
public interface MessageCodec<T> extends Serializable {

  /**
   * Encodes a message into the bytes stored in a queue slot.
   *
   * @param message the message to encode
   * @return the bytes of {@code message}, never {@code null}
   */
  byte[] encode(T message);

  /**
   * Decodes the bytes of one queue slot back into a message.
   *
   * @param bytes the bytes {@link #encode} produced, possibly in another JVM
   * @return the message these bytes encode
   */
  T decode(byte[] bytes);

  /** {@return the identity codec for {@code byte[]} messages (no copy beyond the slot's)} */
  @SuppressWarnings("unchecked") // Builtin.BYTES encodes exactly byte[]
  static MessageCodec<byte[]> bytes() {
    return Builtin.BYTES;
  }

  /** {@return a codec for strings as UTF-8} */
  @SuppressWarnings("unchecked") // Builtin.UTF8 encodes exactly String
  static MessageCodec<String> utf8() {
    return Builtin.UTF8;
  }

  /** {@return a codec for {@code Long}s as 8 bytes} */
  @SuppressWarnings("unchecked") // Builtin.LONGS encodes exactly Long
  static MessageCodec<Long> longs() {
    return Builtin.LONGS;
  }

  /**
   * A codec using the library's {@link JdkCodec} (JDK serialization behind a decode filter with
   * depth, reference and size limits and the default allow rule, see
   * {@link io.github.multiproc.ipc.codec.AllowRule}), which also allows the classes of
   * {@code type}'s package, checking that decoded values are instances of {@code type}. Each JVM
   * uses {@link JdkCodec#create()}.
   *
   * @param type the message class
   * @param <T> the message type
   * @return a serializable codec
   */
  static <T> MessageCodec<T> serialized(Class<T> type) {
    return new JdkMessages<>(Objects.requireNonNull(type, "type"));
  }

  /**
   * Adapts any {@link Codec} of the ipc module. The queue can travel to another JVM only if
   * {@code codec} is {@link Serializable}; otherwise use {@link #serialized} or a codec class of
   * your own.
   *
   * @param codec the object codec
   * @param type the message class (decoded values are checked against it)
   * @param <T> the message type
   * @return a codec for messages of {@code type}
   */
  static <T> MessageCodec<T> of(Codec codec, Class<T> type) {
    return new Adapted<>(Objects.requireNonNull(codec, "codec"), Objects.requireNonNull(type, "type"));
  }

  /**
   * The codecs without parameters (enum constants serialize by name). Stateless, hence
   * thread-safe.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  enum Builtin implements MessageCodec {
    /** Passes {@code byte[]} messages through as they are. */
    BYTES {
      @Override
      public byte[] encode(Object message) {
        return (byte[]) message;
      }

      @Override
      public Object decode(byte[] bytes) {
        return bytes;
      }
    },
    /** Encodes {@code String} messages as UTF-8. */
    UTF8 {
      @Override
      public byte[] encode(Object message) {
        return ((String) message).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Object decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    },
    /** Encodes {@code Long} messages as 8 big-endian bytes; decoding checks the length. */
    LONGS {
      @Override
      public byte[] encode(Object message) {
        return ByteBuffer.allocate(Long.BYTES).putLong((Long) message).array();
      }

      @Override
      public Object decode(byte[] bytes) {
        if (bytes.length != Long.BYTES) {
          throw new IllegalArgumentException("a Long message has 8 bytes: length=" + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
      }
    }
  }

  /**
   * {@link JdkCodec} with its defaults; only the type travels. Thread-safe: every instance in a
   * JVM shares one immutable {@link JdkCodec}.
   *
   * @param type the message class, checked against every decoded value
   * @param <T> the message type
   */
  record JdkMessages<T>(Class<T> type) implements MessageCodec<T> {
    @Override
    public byte[] encode(T message) {
      return Holder.CODEC.encode(message);
    }

    @Override
    public T decode(byte[] bytes) {
      return Holder.CODEC.allowingPackageOf(type).decode(bytes, type);
    }

    /** One immutable, thread-safe default codec per JVM. */
    private static final class Holder {
      static final JdkCodec CODEC = JdkCodec.create();
    }
  }

  /**
   * Any {@link Codec}, which also allows the classes of {@code type}'s package (see
   * {@link Codec#allowingPackageOf}); serializable when the codec is. Thread-safe as
   * {@link Codec} requires of its implementations.
   *
   * @param codec the object codec that encodes and decodes every message
   * @param type the message class, checked against every decoded value
   * @param <T> the message type
   */
  record Adapted<T>(Codec codec, Class<T> type) implements MessageCodec<T> {
    @Override
    public byte[] encode(T message) {
      return codec.encode(message);
    }

    @Override
    public T decode(byte[] bytes) {
      return codec.allowingPackageOf(type).decode(bytes, type);
    }
  }
}
