package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.ItemDecodeException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a whole run of values (a chunk's inputs or its results) as one unit, with fast paths
 * for the common element types so that tiny items cost a few nanoseconds instead of a trip
 * through object serialization each. The kind byte is a tag of the one fast-path table,
 * {@link FastPathTags}.
 *
 * <pre>
 *  +------------+--------------+------------------------------------------------------+
 *  | kind (u8)  | count int32  | body                                                 |
 *  +------------+--------------+------------------------------------------------------+
 *  0x00 NULL    body = empty              (every item null, such as a submitted job's input)
 *  0x03 UTF16   body = count x (int32 charCount | UTF-16BE chars)  (non-null Strings; exact for
 *               any char sequence, lone surrogates included)
 *  0x04 INT     body = count x int32      (every item a non-null Integer)
 *  0x05 LONG    body = count x int64      (every item a non-null Long)
 *  0x06 DOUBLE  body = count x float64 as raw long bits
 *  0x7D SHARED  body = int32 k | k out-of-band entries | the run in any other kind, with null
 *               where the entries go: values carried in shared-memory segments
 *               (layout in {@link SharedValues})
 *  0x7E CODEC_ITEMS  body = int32 byteLength | the codec's {@link Codec#encodeAll} of the items
 *               (one unit, decoded item by item: with {@code JdkCodec} a bad item fails alone);
 *               used for results, whose decoding in the parent must isolate a bad value
 *  0x7F CODEC   body = int32 byteLength | the codec's encoding of an Object[count] (one stream,
 *               all or nothing; cheaper per item); used for a chunk's inputs
 * </pre>
 *
 * <p><b>Hostile input.</b> Every count is checked against the bytes that remain before anything
 * is allocated: a kind whose items take {@code k} bytes each may declare at most
 * {@code remaining / k} items; the NULL kind (zero bytes per item) at most the caller's
 * {@code maxCount} (the number of items the parent sent). So decoding allocates in proportion to
 * the bytes received, and a malformed block is an {@link IOException}, never another exception.
 *
 * <p>Stateless and thread-safe.
 */
public final class ItemsCodec {


  /** The most items a block may declare when the caller gives no bound of its own. */
  public static final int MAX_COUNT = Integer.MAX_VALUE - 16;

  private ItemsCodec() {}

  /**
   * Appends the encoding of {@code items}, generic values as one all-or-nothing stream (for a
   * chunk's inputs).
   *
   * @param items the values, at least one; any may be null
   * @param codec encodes the generic case
   * @param out where to write
   * @throws io.github.multiproc.ipc.codec.CodecException if a generic value does not encode
   */
  public static void encode(List<?> items, Codec codec, PayloadWriter out) {
    encode(items, codec, out, false);
  }

  /**
   * Appends the encoding of {@code items}.
   *
   * @param items the values, at least one; any may be null
   * @param codec encodes the generic case
   * @param out where to write
   * @param eachAlone whether generic values must decode one by one, so that a bad one fails
   *     alone ({@link Codec#encodeAll}; about 0.3 µs more per generic value to decode): results
   * @throws io.github.multiproc.ipc.codec.CodecException if a generic value does not encode
   */
  public static void encode(List<?> items, Codec codec, PayloadWriter out, boolean eachAlone) {
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
    if (kind == FastPathTags.CODEC && eachAlone) {
      kind = FastPathTags.CODEC_ITEMS;
    }
    out.putByte(kind);
    out.putInt(n);
    switch (kind) {
      case FastPathTags.INT, FastPathTags.LONG, FastPathTags.DOUBLE ->
          throw new AssertionError("numeric kinds are encoded above: kind=" + kind);
      case FastPathTags.UTF16 -> {
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
      case FastPathTags.NULL -> { }
      case FastPathTags.CODEC_ITEMS -> out.putSized(codec.encodeAll(items));
      default -> out.putSized(codec.encode(items.toArray()));
    }
  }

  /**
   * Appends the encoding of a run some of whose values travel out of band: the
   * {@link FastPathTags#SHARED} header and table, then the run itself.
   *
   * @param items the values, null at every entry's position
   * @param outOfBand the entries, in position order; none: the plain encoding
   * @param codec encodes the generic case
   * @param out where to write
   * @param eachAlone as in {@link #encode(List, Codec, PayloadWriter, boolean)}
   */
  public static void encode(List<?> items, List<SharedValues.Entry> outOfBand, Codec codec, PayloadWriter out,
      boolean eachAlone) {
    if (!outOfBand.isEmpty()) {
      out.putByte(FastPathTags.SHARED);
      out.putInt(items.size());
      SharedValues.writeTable(outOfBand, out);
    }
    encode(items, codec, out, eachAlone);
  }

  /**
   * Reads what {@link #encode(List, List, Codec, PayloadWriter, boolean)} wrote: each item's value
   * or why it did not decode. An out-of-band value whose segment is missing, does not match its
   * entry, or does not decode fails its item alone; a table that breaks the rules of
   * {@link SharedValues} is thrown, before any file is touched.
   *
   * @param in the payload, positioned at the kind byte
   * @param codec decodes the generic case and serialized out-of-band values
   * @param maxCount the most items the block may hold
   * @param shared reads the out-of-band values of the one process allowed to send them
   * @return every item's outcome
   * @throws IOException if the block is malformed or holds more than {@code maxCount} items
   */
  public static DecodedItems decodeEach(PayloadReader in, Codec codec, int maxCount, SharedValueReader shared)
      throws IOException {
    List<SharedValues.Entry> entries = sharedEntries(in, maxCount, shared.sender());
    DecodedItems items = decodeEach(in, codec, maxCount);
    for (SharedValues.Entry e : entries) {
      int i = e.position();
      if (i >= items.size() || items.failed(i) || items.value(i) != null) {
        throw new IOException("out-of-band item " + i + " must be a null of a run of " + items.size());
      }
      try {
        items.set(i, shared.read(e, codec));
      } catch (IOException | RuntimeException ex) { // a missing or mismatched segment, a value that does not decode
        items.fail(i, new ItemDecodeException(i, typeName(e.type()), "an out-of-band value", ex));
      }
    }
    return items;
  }

  /**
   * Reads the out-of-band table of a block, if it has one, leaving {@code in} at the run itself.
   *
   * @param in the payload, positioned at the kind byte
   * @param maxCount the most items the block may hold
   * @param sender the pid every segment must belong to
   * @return the checked entries, or none if the block is not {@link FastPathTags#SHARED}
   * @throws IOException if the table is malformed
   */
  public static List<SharedValues.Entry> sharedEntries(PayloadReader in, int maxCount, long sender)
      throws IOException {
    if (in.remaining() < 1 || in.array()[in.array().length - in.remaining()] != FastPathTags.SHARED) {
      return List.of();
    }
    in.getByte();
    int n = in.getInt();
    if (n < 1 || n > maxCount) {
      throw new IOException("item count must be in [1, " + maxCount + "]: count=" + n);
    }
    List<SharedValues.Entry> entries = SharedValues.readTable(in, n, sender);
    if (PayloadReader.countAt(in.array(), in.array().length - in.remaining()) != n) {
      throw new IOException("an out-of-band run must hold its " + n + " items");
    }
    return entries;
  }

  private static String typeName(int type) {
    return switch (type) {
      case SharedValues.BYTES -> "byte[]";
      case SharedValues.BYTE_BUFFER -> "java.nio.ByteBuffer";
      case SharedValues.INTS -> "int[]";
      case SharedValues.LONGS -> "long[]";
      case SharedValues.DOUBLES -> "double[]";
      case SharedValues.FLOATS -> "float[]";
      case SharedValues.SHORTS -> "short[]";
      case SharedValues.CHARS -> "char[]";
      default -> "a serialized value";
    };
  }

  /**
   * Reads what {@link #encode} wrote, from a trusted sender (at most {@link #MAX_COUNT} items).
   *
   * @param in the payload, positioned at the kind byte
   * @param codec decodes the generic case
   * @return the values, in order
   * @throws IOException if the bytes are malformed
   * @throws io.github.multiproc.ipc.codec.CodecException if a generic value does not decode
   */
  public static Object[] decode(PayloadReader in, Codec codec) throws IOException {
    return decode(in, codec, MAX_COUNT);
  }

  /**
   * Reads what {@link #encode} wrote, holding at most {@code maxCount} items.
   *
   * @param in the payload, positioned at the kind byte
   * @param codec decodes the generic case
   * @param maxCount the most items the block may hold
   * @return the values, in order
   * @throws IOException if the bytes are malformed or hold more than {@code maxCount} items
   * @throws io.github.multiproc.ipc.codec.ItemDecodeException the first generic value that does
   *     not decode
   */
  public static Object[] decode(PayloadReader in, Codec codec, int maxCount) throws IOException {
    return decodeEach(in, codec, maxCount).valuesOrThrow();
  }

  /**
   * Reads what {@link #encode} wrote: each item's value, or why it did not decode (only a
   * generic item can fail alone; anything wrong with the block's structure is thrown).
   *
   * @param in the payload, positioned at the kind byte
   * @param codec decodes the generic case
   * @param maxCount the most items the block may hold
   * @return every item's outcome
   * @throws IOException if the block is malformed (unknown kind, a count out of bounds or over
   *     what the bytes left can hold, a length past the end) or holds more than {@code maxCount}
   */
  public static DecodedItems decodeEach(PayloadReader in, Codec codec, int maxCount) throws IOException {
    int kind = in.getByte();
    int n = in.getInt();
    if (n < 0 || n > maxCount) {
      throw new IOException("item count must be in [0, " + maxCount + "]: count=" + n);
    }
    switch (kind) {
      case FastPathTags.INT -> {
        int at = in.skip(checkedBytes(n, 4, in));
        byte[] b = in.array();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
          out[i] = PayloadReader.intAt(b, at + 4 * i);
        }
        return DecodedItems.of(out);
      }
      case FastPathTags.LONG, FastPathTags.DOUBLE -> {
        int at = in.skip(checkedBytes(n, 8, in));
        byte[] b = in.array();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
          long bits = PayloadReader.longAt(b, at + 8 * i);
          out[i] = kind == FastPathTags.LONG ? (Object) bits : (Object) Double.longBitsToDouble(bits);
        }
        return DecodedItems.of(out);
      }
      case FastPathTags.UTF16 -> {
        checkedBytes(n, 4, in); // every string has at least its int32 length
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
          int len = in.getInt();
          if (len < 0) {
            throw new IOException("string length must be >= 0: length=" + len + " for item " + i);
          }
          int at = in.skip(checkedBytes(len, 2, in));
          byte[] b = in.array();
          char[] chars = new char[len];
          for (int k = 0; k < len; k++) {
            chars[k] = (char) (((b[at + 2 * k] & 0xff) << 8) | (b[at + 2 * k + 1] & 0xff));
          }
          out[i] = new String(chars);
        }
        return DecodedItems.of(out);
      }
      case FastPathTags.NULL -> {
        return new DecodedItems(n); // bounded by maxCount: zero bytes per item
      }
      case FastPathTags.CODEC_ITEMS -> {
        byte[] body = sizedBody(in);
        try {
          return codec.decodeAll(body, n);
        } catch (CodecException e) {
          throw new IOException("generic items are malformed: " + e.getMessage(), e);
        }
      }
      case FastPathTags.CODEC -> {
        byte[] body = sizedBody(in);
        Object decoded = codec.decode(body); // a CodecException here is the values' fault: thrown
        if (!(decoded instanceof Object[] array) || array.length != n) {
          throw new IOException("generic items must decode to an Object[" + n + "]: got "
              + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        return DecodedItems.of(array);
      }
      default -> throw new IOException("unknown items kind: " + FastPathTags.name(kind));
    }
  }

  private static byte[] sizedBody(PayloadReader in) throws IOException {
    byte[] body = in.getSized();
    if (body == null) {
      throw new IOException("generic items need a body");
    }
    return body;
  }

  /** {@code count × size}, if that many bytes remain; else an IOException (no overflow). */
  private static int checkedBytes(int count, int size, PayloadReader in) throws IOException {
    long bytes = (long) count * size;
    if (bytes > in.remaining()) {
      throw new java.io.EOFException("payload truncated: " + count + " item(s) of " + size
          + " byte(s) need " + bytes + " bytes, " + in.remaining() + " left");
    }
    return (int) bytes;
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
    out.putByte(FastPathTags.INT);
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
    out.putByte(FastPathTags.LONG);
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
    out.putByte(FastPathTags.DOUBLE);
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
      return FastPathTags.CODEC;
    }
    for (int i = 1, n = items.size(); i < n; i++) {
      Object o = items.get(i);
      if ((o == null ? null : o.getClass()) != type) {
        return FastPathTags.CODEC;
      }
    }
    if (type == null) {
      return FastPathTags.NULL;
    }
    return type == Integer.class ? FastPathTags.INT : type == Long.class ? FastPathTags.LONG
        : type == Double.class ? FastPathTags.DOUBLE : FastPathTags.UTF16;
  }
}
