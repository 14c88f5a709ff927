package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a whole run of values (a chunk's inputs or its results) as one unit, with fast paths
 * for the common element types so that tiny items cost a few nanoseconds instead of a trip
 * through object serialization each.
 *
 * <pre>
 *  +------------+--------------+------------------------------------------------------+
 *  | kind (u8)  | count int32  | body                                                 |
 *  +------------+--------------+------------------------------------------------------+
 *  kind 0 GENERIC  body = int32 byteLength | the codec's encoding of an Object[count] (one stream)
 *  kind 1 INT      body = count x int32      (every item a non-null Integer)
 *  kind 2 LONG     body = count x int64      (every item a non-null Long)
 *  kind 3 DOUBLE   body = count x float64 as raw long bits
 *  kind 4 STRING   body = count x (int32 charCount | UTF-16BE chars)  (non-null Strings; exact for
 *                  any char sequence, lone surrogates included)
 *  kind 5 NULLS    body = empty              (every item null, such as a submitted job's input)
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ItemsCodec {

  static final int GENERIC = 0;
  static final int INT = 1;
  static final int LONG = 2;
  static final int DOUBLE = 3;
  static final int STRING = 4;
  static final int NULLS = 5;

  private ItemsCodec() {}

  /**
   * Appends the encoding of {@code items}.
   *
   * @param items the values; any may be null
   * @param codec encodes the generic case
   * @param out where to write
   * @throws io.github.multiproc.ipc.codec.CodecException if a generic value does not encode
   */
  public static void encode(List<?> items, Codec codec, PayloadWriter out) {
    int n = items.size();
    int start = out.size();
    // The numeric fast paths check and write in one pass, and roll back on the first misfit.
    Object first = items.getFirst();
    if (first instanceof Integer && encodeInts(items, out)
        || first instanceof Long && encodeLongs(items, out)
        || first instanceof Double && encodeDoubles(items, out)) {
      return;
    }
    out.truncate(start);
    int kind = kindOf(items);
    out.putByte(kind);
    out.putInt(n);
    switch (kind) {
      case INT, LONG, DOUBLE -> throw new AssertionError("numeric kinds are encoded above: kind=" + kind);
      case STRING -> {
        for (int i = 0; i < n; i++) {
          String text = (String) items.get(i);
          int len = text.length();
          out.putInt(len);
          out.ensure(2 * len);
          byte[] b = out.buffer();
          int at = out.size();
          for (int k = 0; k < len; k++) {
            char c = text.charAt(k);
            b[at++] = (byte) (c >>> 8);
            b[at++] = (byte) c;
          }
          out.advance(2 * len);
        }
      }
      case NULLS -> { }
      default -> out.putSized(codec.encode(items.toArray()));
    }
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @param in the payload, positioned at the kind byte
   * @param codec decodes the generic case
   * @return the values, in order
   * @throws IOException if the bytes are malformed
   * @throws io.github.multiproc.ipc.codec.CodecException if a generic value does not decode
   */
  public static Object[] decode(PayloadReader in, Codec codec) throws IOException {
    int kind = in.getByte();
    int n = in.getInt();
    if (n < 0) {
      throw new IOException("item count must be >= 0: count=" + n);
    }
    Object[] out;
    switch (kind) {
      case INT -> {
        int at = in.skip(Math.multiplyExact(4, n));
        byte[] b = in.array();
        out = new Object[n];
        for (int i = 0; i < n; i++) {
          out[i] = PayloadReader.intAt(b, at + 4 * i);
        }
      }
      case LONG, DOUBLE -> {
        int at = in.skip(Math.multiplyExact(8, n));
        byte[] b = in.array();
        out = new Object[n];
        for (int i = 0; i < n; i++) {
          long bits = PayloadReader.longAt(b, at + 8 * i);
          out[i] = kind == LONG ? (Object) bits : (Object) Double.longBitsToDouble(bits);
        }
      }
      case STRING -> {
        out = new Object[n];
        for (int i = 0; i < n; i++) {
          int len = in.getInt();
          int at = in.skip(Math.multiplyExact(2, len));
          byte[] b = in.array();
          char[] chars = new char[len];
          for (int k = 0; k < len; k++) {
            chars[k] = (char) (((b[at + 2 * k] & 0xff) << 8) | (b[at + 2 * k + 1] & 0xff));
          }
          out[i] = new String(chars);
        }
      }
      case NULLS -> out = new Object[n];
      case GENERIC -> {
        byte[] body = in.getSized();
        if (body == null) {
          throw new IOException("generic items need a body");
        }
        Object decoded = codec.decode(body);
        if (!(decoded instanceof Object[] array) || array.length != n) {
          throw new IOException("generic items must decode to an Object[" + n + "]: got "
              + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        out = array;
      }
      default -> throw new IOException("unknown items kind: kind=" + kind);
    }
    return out;
  }

  /**
   * Decodes as {@link #decode} and wraps the array as a fixed-size list.
   *
   * @param in the payload
   * @param codec the codec
   * @return the values
   */
  public static List<Object> decodeList(PayloadReader in, Codec codec) throws IOException {
    return Arrays.asList(decode(in, codec));
  }

  private static boolean encodeInts(List<?> items, PayloadWriter out) {
    int n = items.size();
    int start = out.size();
    out.putByte(INT);
    out.putInt(n);
    out.ensure(4 * n);
    for (int i = 0; i < n; i++) {
      if (!(items.get(i) instanceof Integer v)) {
        out.truncate(start);
        return false;
      }
      out.putIntUnchecked(v);
    }
    return true;
  }

  private static boolean encodeLongs(List<?> items, PayloadWriter out) {
    int n = items.size();
    int start = out.size();
    out.putByte(LONG);
    out.putInt(n);
    out.ensure(8 * n);
    for (int i = 0; i < n; i++) {
      if (!(items.get(i) instanceof Long v)) {
        out.truncate(start);
        return false;
      }
      out.putLongUnchecked(v);
    }
    return true;
  }

  private static boolean encodeDoubles(List<?> items, PayloadWriter out) {
    int n = items.size();
    int start = out.size();
    out.putByte(DOUBLE);
    out.putInt(n);
    out.ensure(8 * n);
    for (int i = 0; i < n; i++) {
      if (!(items.get(i) instanceof Double v)) {
        out.truncate(start);
        return false;
      }
      out.putLongUnchecked(Double.doubleToRawLongBits(v));
    }
    return true;
  }

  private static int kindOf(List<?> items) {
    Object first = items.getFirst();
    Class<?> type = first == null ? null : first.getClass();
    if (type != Integer.class && type != Long.class && type != Double.class && type != String.class
        && type != null) {
      return GENERIC;
    }
    for (int i = 1, n = items.size(); i < n; i++) {
      Object o = items.get(i);
      if ((o == null ? null : o.getClass()) != type) {
        return GENERIC;
      }
    }
    if (type == null) {
      return NULLS;
    }
    return type == Integer.class ? INT : type == Long.class ? LONG : type == Double.class ? DOUBLE : STRING;
  }
}
