package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads items blocks (layout in {@link ItemsDescriptor}), as written by {@link ItemsEncoder}:
 * every item's value, or why it did not decode.
 *
 * {@snippet :
 * // the parent, reading a worker's results: at most the items it sent; a bad value fails alone
 * DecodedItems values = ItemsDecoder.decodeEach(in, codec, sent);
 * // the worker, reading a chunk's inputs from its parent: all or nothing
 * Object[] inputs = ItemsDecoder.decode(in, codec);
 * }
 *
 * <p><b>Hostile input.</b> Every count is checked against the bytes that remain before anything
 * is allocated: a kind whose items take {@code k} bytes each may declare at most
 * {@code remaining / k} items; the NULL kind (zero bytes per item) at most the caller's
 * {@code maxCount} (the number of items the parent sent). So decoding allocates in proportion to
 * the bytes received, and a malformed block is an {@link IOException}, never another exception.
 *
 * <p>Stateless and thread-safe.
 */
public final class ItemsDecoder {

  /** The most items a block may declare when the caller gives no bound of its own. */
  public static final int MAX_COUNT = Integer.MAX_VALUE - 16;

  private ItemsDecoder() {}

  /**
   * Reads what {@link ItemsEncoder#encode(List, List, Codec, PayloadWriter, boolean)} wrote: each item's value
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
   * Reads what {@link ItemsEncoder#encode} wrote, from a trusted sender (at most {@link #MAX_COUNT} items).
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
   * Reads what {@link ItemsEncoder#encode} wrote, holding at most {@code maxCount} items.
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
   * Reads what {@link ItemsEncoder#encode} wrote: each item's value, or why it did not decode (only a
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
      // each run's loop is a small method of its own: a fresh worker's JIT compiles it early,
      // without this switch and its cold cases
      case FastPathTags.INT -> {
        int at = in.skip(checkedBytes(n, 4, in));
        return DecodedItems.of(ints(in.array(), at, n));
      }
      case FastPathTags.LONG, FastPathTags.DOUBLE -> {
        int at = in.skip(checkedBytes(n, 8, in));
        return DecodedItems.of(kind == FastPathTags.LONG ? longs(in.array(), at, n) : doubles(in.array(), at, n));
      }
      case FastPathTags.UTF16 -> {
        checkedBytes(n, 4, in); // every string has at least its int32 length
        return DecodedItems.of(strings(in, n));
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

  /**
   * Lends an {@link FastPathTags#INT}, {@link FastPathTags#LONG} or {@link FastPathTags#DOUBLE}
   * run of exactly {@code target.size()} items to {@code target} as it is
   * ({@link ChunkResult#succeedInts}, {@link ChunkResult#succeedLongs},
   * {@link ChunkResult#succeedDoubles}): the parent's path for a worker's numeric results, with no
   * boxed value per item and no copy. Any other block is left unread.
   *
   * @param in the payload, positioned at the kind byte
   * @param n the items the block must hold
   * @param target the result to fill, of size {@code n} for the run to be lent
   * @return whether the block was such a run and was lent
   * @throws IOException if it is such a run whose count is not {@code n}, or is truncated
   */
  public static boolean lendNumbers(PayloadReader in, int n, ChunkResult<?> target) throws IOException {
    if (target.size() != n || in.remaining() < 1) {
      return false;
    }
    int kind = in.peekByte();
    if (kind != FastPathTags.INT && kind != FastPathTags.LONG && kind != FastPathTags.DOUBLE) {
      return false;
    }
    in.getByte();
    int count = in.getInt();
    if (count != n) {
      throw new IOException("item count " + count + " does not match the " + n + " the block must hold");
    }
    switch (kind) {
      case FastPathTags.INT -> target.succeedInts(in.array(), in.skip(checkedBytes(n, 4, in)));
      case FastPathTags.LONG -> target.succeedLongs(in.array(), in.skip(checkedBytes(n, 8, in)));
      default -> target.succeedDoubles(in.array(), in.skip(checkedBytes(n, 8, in)));
    }
    return true;
  }

  /**
   * Finds the body of an {@link FastPathTags#INT}, {@link FastPathTags#LONG} or
   * {@link FastPathTags#DOUBLE} run of exactly {@code n} items that ends the payload: the worker's
   * path for numeric inputs, read in place ({@link #numberAt}) with no array of boxed inputs.
   * Anything else, a malformed run included, is left to {@link #decode}.
   *
   * @param b the payload
   * @param block where the items block starts (its kind byte is the run's kind)
   * @param n the items the block must hold
   * @return the offset of the first value, or -1 if the block is not such a run
   */
  public static int numberRunBody(byte[] b, int block, int n) {
    int body = block + ItemsDescriptor.HEADER_LENGTH;
    if (n < 1 || block < 0 || body > b.length) {
      return -1;
    }
    int width = switch (b[block]) {
      case FastPathTags.INT -> 4;
      case FastPathTags.LONG, FastPathTags.DOUBLE -> 8;
      default -> 0;
    };
    if (width == 0 || PayloadReader.intAt(b, block + ItemsDescriptor.COUNT_OFFSET) != n
        || (long) body + (long) width * n != b.length) {
      return -1;
    }
    return body;
  }

  /**
   * Reads item {@code i} of a run found by {@link #numberRunBody}, boxed as the parent's input was.
   *
   * @param b the payload
   * @param kind the run's kind
   * @param body the run's body offset
   * @param i the item
   * @return its value: an {@code Integer}, {@code Long} or {@code Double}
   */
  public static Object numberAt(byte[] b, byte kind, int body, int i) {
    return switch (kind) {
      case FastPathTags.INT -> Integer.valueOf(PayloadReader.intAt(b, body + 4 * i));
      case FastPathTags.LONG -> Long.valueOf(PayloadReader.longAt(b, body + 8 * i));
      default -> Double.valueOf(Double.longBitsToDouble(PayloadReader.longAt(b, body + 8 * i)));
    };
  }

  /**
   * Reads item {@code i} of an INT run found by {@link #numberRunBody}, unboxed.
   *
   * @param b the payload
   * @param body the run's body offset
   * @param i the item
   * @return its value
   */
  public static int intAt(byte[] b, int body, int i) {
    return PayloadReader.intAt(b, body + 4 * i);
  }

  private static Object[] ints(byte[] b, int at, int n) {
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = PayloadReader.intAt(b, at + 4 * i);
    }
    return out;
  }

  private static Object[] longs(byte[] b, int at, int n) {
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = PayloadReader.longAt(b, at + 8 * i);
    }
    return out;
  }

  private static Object[] doubles(byte[] b, int at, int n) {
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = Double.longBitsToDouble(PayloadReader.longAt(b, at + 8 * i));
    }
    return out;
  }

  private static Object[] strings(PayloadReader in, int n) throws IOException {
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
    return out;
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
}
