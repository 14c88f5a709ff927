package io.github.multiproc.ipc.shm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the messages of a {@link SharedQueue} into bytes and back. It travels with the queue's
 * handle to other JVMs, hence {@link Serializable}. Built-in codecs cover raw bytes, strings,
 * longs and JDK serialization; adapt any other object codec with a lambda pair or a small class.
 *
 * {@snippet :
 * SharedQueue<String> lines = SharedQueue.builder(MessageCodec.utf8()).capacity(1024).create();
 * SharedQueue<Order> orders = SharedQueue.builder(MessageCodec.serialized(Order.class)).create();
 * }
 *
 * <p>Implementations must be thread-safe (one codec serves all threads of a queue) and must not
 * return {@code null} from {@link #encode}.
 *
 * @param <T> the message type
 * @since 0.1
 */
public interface MessageCodec<T> extends Serializable {

  /** @return the bytes of {@code message} (never null) */
  byte[] encode(T message);

  /** @return the message these bytes encode */
  T decode(byte[] bytes);

  /** @return the identity codec for {@code byte[]} messages (no copy beyond the slot's) */
  static MessageCodec<byte[]> bytes() {
    return Builtin.BYTES;
  }

  /** @return a codec for strings as UTF-8 */
  static MessageCodec<String> utf8() {
    return Builtin.UTF8;
  }

  /** @return a codec for {@code Long}s as 8 bytes */
  static MessageCodec<Long> longs() {
    return Builtin.LONGS;
  }

  /**
   * A codec using JDK serialization, one stream per message, decoding only instances of
   * {@code type} and the classes reachable from it, with an {@link ObjectInputFilter} limiting
   * depth to 64 and references to 100,000.
   *
   * @param type the message class; decoded values that are not instances fail with
   *     {@link ClassCastException}
   */
  static <T extends Serializable> MessageCodec<T> serialized(Class<T> type) {
    return new JavaSerialization<>(Objects.requireNonNull(type, "type"));
  }

  /** The codecs without parameters (enum constants serialize by name). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  enum Builtin implements MessageCodec {
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

  /** JDK serialization behind a filter. */
  record JavaSerialization<T>(Class<T> type) implements MessageCodec<T> {

    @Override
    public byte[] encode(T message) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(message);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialize message of " + message.getClass().getName()
            + " (it, or an object it references, is not serializable): " + e.getMessage(), e);
      }
      return bytes.toByteArray();
    }

    @Override
    public T decode(byte[] bytes) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("maxdepth=64;maxrefs=100000"));
        return type.cast(in.readObject());
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("cannot deserialize a " + type.getName() + " message: " + e, e);
      }
    }
  }
}
