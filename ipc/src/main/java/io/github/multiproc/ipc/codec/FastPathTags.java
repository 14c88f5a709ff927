package io.github.multiproc.ipc.codec;

/**
 * The one table of fast-path tags: the first byte of a {@link FastPathCodec} payload (one value),
 * and the kind byte of a run of values in the process pool's chunk and result payloads
 * ({@code ItemsDescriptor}). The same byte means the same type everywhere.
 *
 * <pre>
 *  tag   one value (FastPathCodec)                 a run of n values (ItemsDescriptor)
 *  0x00  NULL     null: nothing follows            every item null: nothing follows
 *  0x01  BYTES    byte[]: the bytes                (not used for runs)
 *  0x02  LATIN1   String, every char &lt; 256:        (not used for runs)
 *                 one byte per char
 *  0x03  UTF16    String: UTF-16BE, two bytes      n x (int32 charCount | UTF-16BE chars)
 *                 per char (exact for any String)
 *  0x04  INT      Integer: int32                   n x int32
 *  0x05  LONG     Long: int64                      n x int64
 *  0x06  DOUBLE   Double: IEEE 754 bits, int64     n x IEEE 754 bits, int64
 *  0x07  BOOLEAN  Boolean: 0x00 or 0x01            (not used for runs)
 *  0x7D  SHARED   (not used for one value)         int32 k | k out-of-band entries | the run
 *                                                  with nulls where the entries go: large
 *                                                  values carried in shared memory (the
 *                                                  process pool's SharedValues)
 *  0x7E  CODEC_ITEMS  (not used for one value)     int32 length | the codec's encodeAll bytes:
 *                                                  one unit, every item decodable alone
 *  0x7F  CODEC    anything else: the delegate      int32 length | the codec's encode of an
 *                 codec's bytes                    Object[] (one stream, all or nothing)
 * </pre>
 *
 * All integers big-endian. Only the exact classes named take a fast path (a subclass never
 * exists for these final classes; {@code null} has its own tag). Any other tag is an error.
 *
 * {@snippet :
 * byte[] five = FastPathCodec.create().encode(5);   // 04 00 00 00 05
 * assert five[0] == FastPathTags.INT;
 * }
 *
 * <p>Constants only; thread-safe.
 *
 * @since 0.2
 */
public final class FastPathTags {

  /** {@code null}, or a run of nulls. */
  public static final byte NULL = 0x00;
  /** A {@code byte[]}. */
  public static final byte BYTES = 0x01;
  /** A {@code String} whose chars are all below 256, one byte each. */
  public static final byte LATIN1 = 0x02;
  /** A {@code String} (or a run of them) in UTF-16BE. */
  public static final byte UTF16 = 0x03;
  /** An {@code Integer} (or a run), int32. */
  public static final byte INT = 0x04;
  /** A {@code Long} (or a run), int64. */
  public static final byte LONG = 0x05;
  /** A {@code Double} (or a run), IEEE 754 bits as int64. */
  public static final byte DOUBLE = 0x06;
  /** A {@code Boolean}, one byte 0 or 1. */
  public static final byte BOOLEAN = 0x07;
  /** A run some of whose values travel out of band, in shared-memory segments (process pool). */
  public static final byte SHARED = 0x7D;
  /** A run of values in the codec's item-by-item form ({@link Codec#encodeAll}). */
  public static final byte CODEC_ITEMS = 0x7E;
  /** Anything else: the bytes of the delegate codec (for a run: of an {@code Object[]}). */
  public static final byte CODEC = 0x7F;

  private FastPathTags() {}

  /**
   * Names a tag, for messages.
   *
   * @param tag a tag byte
   * @return its name, or {@code "unknown 0x.."}
   */
  public static String name(int tag) {
    return switch ((byte) tag) {
      case NULL -> "NULL";
      case BYTES -> "BYTES";
      case LATIN1 -> "LATIN1";
      case UTF16 -> "UTF16";
      case INT -> "INT";
      case LONG -> "LONG";
      case DOUBLE -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case SHARED -> "SHARED";
      case CODEC_ITEMS -> "CODEC_ITEMS";
      case CODEC -> "CODEC";
      default -> String.format("unknown 0x%02X", tag & 0xFF);
    };
  }
}
