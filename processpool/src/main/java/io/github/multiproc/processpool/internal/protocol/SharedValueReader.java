package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.shm.SegmentFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The receiving side of values that travel out of band ({@link SharedValues}): reads each
 * checked entry's segment into a new array (through a 1 MiB staging buffer and {@code read(2)},
 * see {@code SegmentFile}), and deletes what it
 * claimed.
 *
 * {@snippet :
 * // parent, on the event loop, as a RESULTS arrives: the segments become the parent's
 * List<SharedValues.Entry> entries = SharedValueReader.claim(ResultsCodec.outOfBand(payload, pid));
 * // later, on a decoder thread
 * ResultsCodec.decodeInto(payload, codec, target, 0, n, SharedValueReader.claimedFrom(pid));
 * }
 *
 * <p>Two modes: {@link #claimedFrom} reads segments the caller {@link #claim}ed (a worker's
 * results, in the parent) and deletes each once read; {@link #inPlace} reads segments where
 * their creator left them and leaves them (a chunk's inputs, in a worker: the parent deletes
 * them when the chunk completes, and may need them again for a retry).
 *
 * <p>Thread safety: immutable; thread-safe.
 */
public final class SharedValueReader {

  private final long sender;
  private final boolean claimed;

  private SharedValueReader(long sender, boolean claimed) {
    this.sender = sender;
    this.claimed = claimed;
  }

  /**
   * @param sender the process whose claimed segments may be read
   * @return a reader of segments {@link #claim}ed from {@code sender}
   */
  public static SharedValueReader claimedFrom(long sender) {
    return new SharedValueReader(sender, true);
  }

  /**
   * @param sender the process whose segments may be read where they are
   * @return a reader that leaves the segments in place
   */
  public static SharedValueReader inPlace(long sender) {
    return new SharedValueReader(sender, false);
  }

  /** {@return the process whose segments this reader accepts} */
  public long sender() {
    return sender;
  }

  /**
   * Claims the segments of checked entries (renames each to this process's name for it), so that
   * the sender's death no longer sweeps them. An entry whose segment is missing is left out: its
   * read then fails that item.
   *
   * @param entries the entries, already checked by {@link SharedValues#readTable}
   * @return the entries
   */
  public static List<SharedValues.Entry> claim(List<SharedValues.Entry> entries) {
    for (SharedValues.Entry e : entries) {
      try {
        SegmentFile.claim(e.name());
      } catch (IOException ex) {
        // missing or not renamable: the read of this entry fails its item
      }
    }
    return entries;
  }

  /**
   * Deletes the claimed segments of entries (answers nobody reads any more).
   *
   * @param entries the entries
   */
  public static void deleteClaimed(List<SharedValues.Entry> entries) {
    if (entries.isEmpty()) {
      return; // most answers: no stream, no lambda, and no shared-memory class loaded for them
    }
    SharedValueWriter.delete(entries.stream().map(e -> SegmentFile.claimedPathOf(e.name())).toList());
  }

  /**
   * Reads one entry's value; a claimed segment is deleted whether or not it could be read.
   *
   * @param e a checked entry
   * @param codec decodes a {@link SharedValues#SERIALIZED} value
   * @return the value
   * @throws IOException if the segment is missing or does not match the entry
   * @throws io.github.multiproc.ipc.codec.CodecException if a serialized value does not decode
   */
  public Object read(SharedValues.Entry e, Codec codec) throws IOException {
    Path file = claimed ? SegmentFile.claimedPathOf(e.name()) : SegmentFile.pathOf(e.name());
    try {
      int type = e.type();
      int elements = (int) (e.length() / SharedValues.elementBytes(type));
      Object array = switch (type) {
        case SharedValues.BYTES, SharedValues.BYTE_BUFFER, SharedValues.SERIALIZED -> new byte[elements];
        case SharedValues.INTS -> new int[elements];
        case SharedValues.LONGS -> new long[elements];
        case SharedValues.DOUBLES -> new double[elements];
        case SharedValues.FLOATS -> new float[elements];
        case SharedValues.SHORTS -> new short[elements];
        case SharedValues.CHARS -> new char[elements];
        default -> throw new IOException("unknown out-of-band type: 0x" + Integer.toHexString(type));
      };
      ValueLayout layout = SharedValueWriter.layout(type);
      int size = SharedValues.elementBytes(type);
      long length = e.length();
      SegmentFile.read(file, sender, Math.max(1, length), (chunk, at) -> MemorySegment.copy(chunk, layout, 0, array,
          (int) (at / size), (int) (SharedValueWriter.bytesAt(chunk, at, length) / size)));
      if (type == SharedValues.BYTE_BUFFER) {
        return ByteBuffer.wrap((byte[]) array);
      }
      return type == SharedValues.SERIALIZED ? codec.decode((byte[]) array) : array;
    } finally {
      if (claimed) {
        Files.deleteIfExists(file);
      }
    }
  }
}
