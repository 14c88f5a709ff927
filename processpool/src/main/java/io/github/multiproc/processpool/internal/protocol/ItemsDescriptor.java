package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathTags;

/**
 * The layout of an items block: a whole run of values (a chunk's inputs or its results) encoded
 * as one unit, with fast paths for the common element types so that tiny items cost a few
 * nanoseconds instead of a trip through object serialization each. The kind byte is a tag of the
 * one fast-path table, {@link FastPathTags}. Layout only: {@link ItemsEncoder} writes a block,
 * {@link ItemsDecoder} reads one.
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
 * <p>Constants only; thread-safe.
 */
public final class ItemsDescriptor {

  /** Offset of the item count (int32) from the block's start. */
  public static final int COUNT_OFFSET = 1;

  /** Length of the header before the body: the kind and the count. */
  public static final int HEADER_LENGTH = COUNT_OFFSET + Integer.BYTES;

  private ItemsDescriptor() {}
}
