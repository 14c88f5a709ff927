package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.FastPathTags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Layout of a run of values some of which travel out of band, each in a shared-memory segment of
 * its own, instead of inside the frame (kind {@link FastPathTags#SHARED} of {@link ItemsDescriptor}).
 * Layout only, plus the table's reading and writing.
 *
 * <pre>
 *  +-----------+-------------+---------+---------------------+--------------------------------------+
 *  | kind 0x7D | count int32 | k int32 | k entries           | the run itself (any other kind), with |
 *  |           |             | 1..count| in position order   | null at every entry's position        |
 *  +-----------+-------------+---------+---------------------+--------------------------------------+
 *  entry:
 *  +----------------+-----------+----------------+------------------+------------------------+
 *  | position int32 | type (u8) | length int64   | name length (u8) | name (ASCII)           |
 *  +----------------+-----------+----------------+------------------+------------------------+
 *  type:  0x01 byte[]   0x08 ByteBuffer (arrives as a heap buffer)   0x09 int[]   0x0A long[]
 *         0x0B double[] 0x0C float[]  0x0D short[]  0x0E char[]      0x7F a value serialized by the codec
 *  length: the value's bytes (elements x element size; for 0x7F the codec's bytes)
 *  name:  pp-&lt;creator pid&gt;-&lt;1..16 hex digits&gt;, the segment
 *         /dev/shm/multiproc-&lt;name&gt; (SharedMemory's 64-byte header, then max(1, length) data
 *         bytes: the elements in native byte order, or the codec's bytes)
 * </pre>
 *
 * <p>Integers big-endian, as everywhere in a payload. The receiver checks every entry before it
 * touches a file: the name must be the sender's ({@code pp-<its pid>-...}), the position inside
 * the run and after the previous entry's, the type known, the length a whole number of
 * elements and at most {@link #MAX_LENGTH}; then the segment's header must name the sender as
 * its owner and hold exactly {@code length} bytes ({@code ipc.shm.SegmentFile}).
 *
 * <p>Who deletes what: the parent creates its inputs' segments and deletes them when the chunk
 * completes (however it completes); a worker creates its results' segments, and the parent
 * claims them (renames them to its own) when the RESULTS arrive, then deletes them once read. A
 * dead worker's unclaimed segments are swept by the parent; a dead parent's, by the next pool.
 *
 * {@snippet :
 * PayloadWriter out = new PayloadWriter(64);
 * SharedValues.Entry e = new SharedValueWriter(1 << 20).write(0, bigArray);   // the segment
 * ItemsEncoder.encode(Arrays.asList(null, "small"), List.of(e), codec, out, true); // 7D | table | run
 * }
 *
 * <p>Constants and stateless helpers; thread-safe.
 */
public final class SharedValues {

  /** A {@code byte[]}. */
  public static final int BYTES = FastPathTags.BYTES;
  /** A {@code ByteBuffer}'s remaining bytes; it arrives as a heap buffer of exactly those bytes. */
  public static final int BYTE_BUFFER = 0x08;
  /** An {@code int[]}. */
  public static final int INTS = 0x09;
  /** A {@code long[]}. */
  public static final int LONGS = 0x0A;
  /** A {@code double[]}. */
  public static final int DOUBLES = 0x0B;
  /** A {@code float[]}. */
  public static final int FLOATS = 0x0C;
  /** A {@code short[]}. */
  public static final int SHORTS = 0x0D;
  /** A {@code char[]}. */
  public static final int CHARS = 0x0E;
  /** Any other value, as the codec's bytes. */
  public static final int SERIALIZED = 0x7F;

  /** The most bytes one out-of-band value may have: a Java array's limit. */
  public static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

  /** The start of every segment name: {@code pp-<creator pid>-}. */
  public static final String NAME_PREFIX = "pp-";

  private static final Pattern NAME = Pattern.compile("pp-([0-9]{1,10})-[0-9a-f]{1,16}");

  private SharedValues() {}

  /**
   * One value out of band.
   *
   * @param position the value's position in the run
   * @param type one of the type constants
   * @param length the value's bytes
   * @param name the segment's name
   */
  public record Entry(int position, int type, long length, String name) {}

  /**
   * The out-of-band type of a value that has one without serialization, else 0.
   *
   * @param value any value
   * @return a type constant other than {@link #SERIALIZED}, or 0
   */
  public static int rawType(Object value) { // instanceof, not a type switch: runs on a cold worker's first answer
    if (value instanceof byte[]) {
      return BYTES;
    } else if (value instanceof ByteBuffer) {
      return BYTE_BUFFER;
    } else if (value instanceof int[]) {
      return INTS;
    } else if (value instanceof long[]) {
      return LONGS;
    } else if (value instanceof double[]) {
      return DOUBLES;
    } else if (value instanceof float[]) {
      return FLOATS;
    } else if (value instanceof short[]) {
      return SHORTS;
    } else if (value instanceof char[]) {
      return CHARS;
    }
    return 0;
  }

  /**
   * Whether a value's serialized form may reach {@code threshold} bytes, so that it is worth
   * serializing alone to find out: false for null, boxed primitives, the raw types (sent by type)
   * and strings too short to (modified UTF-8 takes at most 3 bytes per char).
   *
   * @param value any value
   * @param threshold the size that sends a value out of band
   * @return whether to measure it
   */
  public static boolean mayReach(Object value, long threshold) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Character
        || rawType(value) != 0) {
      return false;
    }
    return !(value instanceof String s) || 3L * s.length() + 16 >= threshold;
  }

  /**
   * The raw bytes of a value of a {@link #rawType}.
   *
   * @param value a value whose raw type is not 0
   * @return its bytes out of band
   */
  public static long rawLength(Object value) {
    if (value instanceof byte[] a) {
      return a.length;
    } else if (value instanceof ByteBuffer b) {
      return b.remaining();
    } else if (value instanceof int[] a) {
      return 4L * a.length;
    } else if (value instanceof long[] a) {
      return 8L * a.length;
    } else if (value instanceof double[] a) {
      return 8L * a.length;
    } else if (value instanceof float[] a) {
      return 4L * a.length;
    } else if (value instanceof short[] a) {
      return 2L * a.length;
    } else if (value instanceof char[] a) {
      return 2L * a.length;
    }
    throw new IllegalArgumentException("no raw form: " + (value == null ? "null" : value.getClass().getName()));
  }

  /**
   * The size of one element of a type.
   *
   * @param type a type constant
   * @return 1, 2, 4 or 8; 0 for an unknown type
   */
  static int elementBytes(int type) {
    return switch (type) {
      case BYTES, BYTE_BUFFER, SERIALIZED -> 1;
      case SHORTS, CHARS -> 2;
      case INTS, FLOATS -> 4;
      case LONGS, DOUBLES -> 8;
      default -> 0;
    };
  }

  /**
   * The pid in a segment name, or -1 if the name is not one of ours.
   *
   * @param name a segment name
   * @return the creator's pid, or -1
   */
  static long creatorOf(String name) {
    var m = NAME.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Writes the table (after the kind and count).
   *
   * @param entries the entries, in position order, at least one
   * @param out where to write
   */
  static void writeTable(List<Entry> entries, PayloadWriter out) {
    out.putInt(entries.size());
    for (Entry e : entries) {
      byte[] name = e.name().getBytes(StandardCharsets.US_ASCII);
      out.putInt(e.position());
      out.putByte(e.type());
      out.putLong(e.length());
      out.putByte(name.length);
      out.putBytes(name);
    }
  }

  /**
   * Reads and checks the table (after the kind and count).
   *
   * @param in the payload
   * @param count the run's items
   * @param sender the pid every segment must belong to
   * @return the entries
   * @throws IOException if an entry breaks a rule of the class comment
   */
  static List<Entry> readTable(PayloadReader in, int count, long sender) throws IOException {
    int k = in.getInt();
    if (k < 1 || k > count) {
      throw new IOException("out-of-band entry count must be in [1, " + count + "]: count=" + k);
    }
    List<Entry> entries = new ArrayList<>(Math.min(k, 64));
    int previous = -1;
    for (int i = 0; i < k; i++) {
      int position = in.getInt();
      int type = in.getByte();
      long length = in.getLong();
      int nameLength = in.getByte();
      String name = new String(in.getBytes(nameLength), StandardCharsets.US_ASCII);
      if (position <= previous || position >= count) {
        throw new IOException("out-of-band entry " + i + " must have a position in (" + previous + ", " + count
            + "): position=" + position);
      }
      int size = elementBytes(type);
      if (size == 0 || length < 0 || length > MAX_LENGTH || length % size != 0) {
        throw new IOException("out-of-band entry " + i + " must have a known type and a length in [0, "
            + MAX_LENGTH + "] of whole elements: type=0x" + Integer.toHexString(type) + ", length=" + length);
      }
      if (creatorOf(name) != sender) {
        throw new IOException("out-of-band entry " + i + " must name a segment of process " + sender
            + " (pp-" + sender + "-<hex>): name=" + printable(name));
      }
      entries.add(new Entry(position, type, length, name));
      previous = position;
    }
    return entries;
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
