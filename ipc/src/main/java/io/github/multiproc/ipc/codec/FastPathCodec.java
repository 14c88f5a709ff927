package io.github.multiproc.ipc.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Codec} that writes the commonest small values in a few bytes of its own and hands
 * everything else to another codec (by default {@link JdkCodec}). JDK serialization costs a few
 * microseconds per value even for an {@code Integer}; this skips it for {@code null},
 * {@code byte[]}, {@code String}, {@code Integer}, {@code Long}, {@code Double} and
 * {@code Boolean}. The first byte of a payload is a tag from the one table of fast paths,
 * {@link FastPathTags}; decoding an unknown tag is a {@link CodecException}. The delegate's checks
 * (serializability diagnosis, allow rule, decode limits) apply to everything it encodes, and
 * sequences ({@link #encodeAll}) are the delegate's.
 *
 * {@snippet :
 * Codec codec = FastPathCodec.wrapping(JdkCodec.create());
 * byte[] five = codec.encode(5);          // 5 bytes: 04 00 00 00 05
 * byte[] list = codec.encode(List.of(1)); // 7F, then a JDK serialization stream
 * }
 *
 * <p>Thread safety: immutable and safe for concurrent use if the delegate is.
 *
 * @since 0.1
 */
public final class FastPathCodec implements Codec {

  static final byte NULL = FastPathTags.NULL;
  static final byte BYTES = FastPathTags.BYTES;
  static final byte LATIN1 = FastPathTags.LATIN1;
  static final byte UTF16 = FastPathTags.UTF16;
  static final byte INT = FastPathTags.INT;
  static final byte LONG = FastPathTags.LONG;
  static final byte DOUBLE = FastPathTags.DOUBLE;
  static final byte BOOLEAN = FastPathTags.BOOLEAN;
  static final byte DELEGATE = FastPathTags.CODEC;

  private final Codec delegate;

  private FastPathCodec(Codec delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Creates a fast-path codec that hands every value without a fast path to {@code delegate}.
   *
   * @param delegate the codec for every value without a fast path
   * @return the codec
   */
  public static FastPathCodec wrapping(Codec delegate) {
    return new FastPathCodec(delegate);
  }

  /** {@return a fast-path codec over {@link JdkCodec#create()}} */
  public static FastPathCodec create() {
    return wrapping(JdkCodec.create());
  }

  @Override
  public Codec allowingPackageOf(Class<?> type) {
    Codec d = delegate.allowingPackageOf(type);
    return d == delegate ? this : new FastPathCodec(d);
  }

  @Override
  public Codec trustingSender() {
    Codec d = delegate.trustingSender();
    return d == delegate ? this : new FastPathCodec(d);
  }

  @Override
  public byte[] encodeAll(List<?> values) {
    return delegate.encodeAll(values);
  }

  @Override
  public DecodedItems decodeAll(byte[] bytes, int count) {
    return delegate.decodeAll(bytes, count);
  }

  @Override
  public byte[] encode(Object value) {
    if (value == null) {
      return new byte[] {NULL};
    }
    Class<?> c = value.getClass();
    if (c == byte[].class) {
      byte[] b = (byte[]) value;
      byte[] out = new byte[1 + b.length];
      out[0] = BYTES;
      System.arraycopy(b, 0, out, 1, b.length);
      return out;
    }
    if (c == String.class) {
      return encodeString((String) value);
    }
    if (c == Integer.class) {
      return ByteBuffer.allocate(5).put(INT).putInt((Integer) value).array();
    }
    if (c == Long.class) {
      return ByteBuffer.allocate(9).put(LONG).putLong((Long) value).array();
    }
    if (c == Double.class) {
      return ByteBuffer.allocate(9).put(DOUBLE).putLong(Double.doubleToRawLongBits((Double) value)).array();
    }
    if (c == Boolean.class) {
      return new byte[] {BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
    }
    byte[] d = delegate.encode(value);
    byte[] out = new byte[1 + d.length];
    out[0] = DELEGATE;
    System.arraycopy(d, 0, out, 1, d.length);
    return out;
  }

  private static byte[] encodeString(String s) {
    int n = s.length();
    boolean latin1 = true;
    for (int i = 0; i < n && latin1; i++) {
      latin1 = s.charAt(i) < 256;
    }
    if (latin1) {
      byte[] out = new byte[1 + n];
      out[0] = LATIN1;
      for (int i = 0; i < n; i++) {
        out[1 + i] = (byte) s.charAt(i);
      }
      return out;
    }
    // Char by char, not through a charset: exact even for unpaired surrogates.
    byte[] out = new byte[1 + 2 * n];
    out[0] = UTF16;
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      out[1 + 2 * i] = (byte) (ch >>> 8);
      out[2 + 2 * i] = (byte) ch;
    }
    return out;
  }

  @Override
  public Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new CodecException("payload must start with a type byte: length=0");
    }
    int body = bytes.length - 1;
    byte type = bytes[0];
    switch (type) {
      case NULL -> need(body, 0);
      case INT -> need(body, 4);
      case LONG, DOUBLE -> need(body, 8);
      case BOOLEAN -> need(body, 1);
      case UTF16 -> {
        if (body % 2 != 0) {
          throw new CodecException("UTF-16 string payload must have an even length: length=" + body);
        }
      }
      case BYTES, LATIN1, DELEGATE -> { }
      default -> throw new CodecException("payload type byte must be a FastPathTags tag (0x00-0x07"
          + " or 0x7F): " + FastPathTags.name(type));
    }
    return switch (type) {
      case NULL -> null;
      case BYTES -> Arrays.copyOfRange(bytes, 1, bytes.length);
      case LATIN1 -> new String(bytes, 1, body, StandardCharsets.ISO_8859_1);
      case UTF16 -> utf16(bytes);
      case INT -> ByteBuffer.wrap(bytes, 1, 4).getInt();
      case LONG -> ByteBuffer.wrap(bytes, 1, 8).getLong();
      case DOUBLE -> Double.longBitsToDouble(ByteBuffer.wrap(bytes, 1, 8).getLong());
      case BOOLEAN -> switch (bytes[1]) {
        case 0 -> Boolean.FALSE;
        case 1 -> Boolean.TRUE;
        default -> throw new CodecException("boolean payload must be 0 or 1: " + bytes[1]);
      };
      default -> delegate.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
    };
  }

  private static String utf16(byte[] bytes) {
    char[] chars = new char[(bytes.length - 1) / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((bytes[1 + 2 * i] & 0xFF) << 8 | bytes[2 + 2 * i] & 0xFF);
    }
    return new String(chars);
  }

  private static void need(int body, int size) {
    if (body != size) {
      throw new CodecException("payload of this type must have " + size + " bytes after the"
          + " type byte: length=" + body);
    }
  }
}
