package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathTags;
import java.util.List;

/**
 * Writes items blocks (layout in {@link ItemsDescriptor}): picks the narrowest kind that holds
 * every item of a run and appends the block to a {@link PayloadWriter}. The numeric kinds are
 * checked and written in one pass, rolled back on the first item that does not fit.
 *
 * {@snippet :
 * PayloadWriter out = new PayloadWriter(ItemsEncoder.expectedBytes(items));
 * ItemsEncoder.encode(items, codec, out);          // a chunk's inputs: INT, LONG, ... or CODEC
 * Object[] back = ItemsDecoder.decode(new PayloadReader(out.toByteArray()), codec);
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class ItemsEncoder {

  private ItemsEncoder() {}

  /**
   * Guesses the size of {@link #encode}'s output from the first item, so that a writer sized with
   * it neither grows nor, for a run of ints, longs or doubles, holds a byte more than needed.
   *
   * @param items the values, at least one
   * @return the block's exact size if every item is of the first one's fixed-width type; a
   *     guess otherwise
   */
  public static int expectedBytes(List<?> items) {
    long n = items.size();
    Object first = items.getFirst();
    long body = first instanceof Integer ? 4 * n : first instanceof Long || first instanceof Double ? 8 * n : 8 * n + 64;
    return (int) Math.min(Integer.MAX_VALUE - 16, ItemsDescriptor.HEADER_LENGTH + body);
  }

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
    if (encodeFixedWidth(items, out)) {
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
      case FastPathTags.UTF16 -> encodeStrings(items, out);
      case FastPathTags.NULL -> { }
      case FastPathTags.CODEC_ITEMS -> out.putSized(codec.encodeAll(items));
      default -> out.putSized(codec.encode(items.toArray()));
    }
  }

  /**
   * Appends {@code items} as an INT, LONG or DOUBLE run if every one is a non-null value of the
   * first one's type; else writes nothing. A run of such values holds nothing that could travel
   * out of band, so its encoder need not look at the items for large ones first.
   *
   * @param items the values, at least one
   * @param out where to write
   * @return whether the run was written
   */
  public static boolean encodeFixedWidth(List<?> items, PayloadWriter out) {
    Object first = items.getFirst();
    return first instanceof Integer && encodeInts(items, out)
        || first instanceof Long && encodeLongs(items, out)
        || first instanceof Double && encodeDoubles(items, out);
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

  /** The UTF16 run: a loop of its own, so that the JIT compiles it without the dispatch above. */
  private static void encodeStrings(List<?> items, PayloadWriter out) {
    int n = items.size();
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
