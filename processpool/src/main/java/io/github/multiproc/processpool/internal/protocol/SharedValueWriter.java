package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.shm.SegmentFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of values that travel out of band ({@link SharedValues}): writes a value into
 * a fresh shared-memory segment of its own (through a 1 MiB staging buffer and {@code write(2)},
 * see {@code SegmentFile}), and
 * remembers every segment it created so that its owner can delete them.
 *
 * {@snippet :
 * SharedValueWriter out = new SharedValueWriter(1 << 20);          // 1 MiB threshold
 * if (out.isLarge(value)) {
 *   SharedValues.Entry e = out.write(position, value);             // the frame carries e
 * }
 * ...
 * out.deleteCreated();                                            // once the receiver is done
 * }
 *
 * <p>What goes out of band: a {@code byte[]}, primitive array or {@code ByteBuffer} of at least
 * the threshold's bytes, and any {@code ByteBuffer} (a buffer is not serializable, so shared
 * memory is its only way); other values when their serialized form reaches the threshold
 * ({@link #writeSerialized}, decided by the caller, who has the bytes).
 *
 * <p>Thread safety: one thread writes at a time; {@link #created} and {@link #deleteCreated} may
 * be called from any thread.
 */
public final class SharedValueWriter {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(SharedValueWriter.class);
  }

  private final long threshold;
  private final List<Path> created = new ArrayList<>(1); // guarded by itself: deleted from another thread

  /**
   * @param threshold the least bytes that make a value travel out of band, at least 1
   */
  public SharedValueWriter(long threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be >= 1: threshold=" + threshold);
    }
    this.threshold = threshold;
  }

  /** {@return the least bytes that make a value travel out of band} */
  public long threshold() {
    return threshold;
  }

  /**
   * Whether a value travels out of band by its type and size alone.
   *
   * @param value any value
   * @return true for a {@code ByteBuffer}, or an array of {@link SharedValues#rawType} with at
   *     least the threshold's bytes
   */
  public boolean isLarge(Object value) {
    int type = SharedValues.rawType(value);
    return type == SharedValues.BYTE_BUFFER || type != 0 && SharedValues.rawLength(value) >= threshold;
  }

  /**
   * Writes a value of a {@link SharedValues#rawType} into a new segment.
   *
   * @param position its position in the run
   * @param value the value
   * @return its entry
   * @throws java.io.UncheckedIOException if the segment cannot be created (no space left)
   */
  public SharedValues.Entry write(int position, Object value) {
    int type = SharedValues.rawType(value);
    long length = SharedValues.rawLength(value);
    String name = newName();
    if (value instanceof ByteBuffer b) {
      MemorySegment source = MemorySegment.ofBuffer(b); // position..limit; b itself is not changed
      create(name, length, (chunk, at) -> MemorySegment.copy(source, at, chunk, 0, bytesAt(chunk, at, length)));
    } else {
      ValueLayout layout = layout(type);
      int size = SharedValues.elementBytes(type);
      create(name, length, (chunk, at) -> MemorySegment.copy(value, (int) (at / size), chunk, layout, 0,
          (int) (bytesAt(chunk, at, length) / size)));
    }
    return new SharedValues.Entry(position, type, length, name);
  }

  /**
   * Writes a value's serialized form into a new segment.
   *
   * @param position its position in the run
   * @param bytes the codec's bytes of the value
   * @return its entry
   * @throws java.io.UncheckedIOException if the segment cannot be created
   */
  public SharedValues.Entry writeSerialized(int position, byte[] bytes) {
    String name = newName();
    create(name, bytes.length, (chunk, at) -> MemorySegment.copy(bytes, (int) at, chunk, ValueLayout.JAVA_BYTE, 0,
        (int) bytesAt(chunk, at, bytes.length)));
    return new SharedValues.Entry(position, SharedValues.SERIALIZED, bytes.length, name);
  }

  /** The bytes of a value in a chunk at {@code at}: the chunk, except past the end of an empty value. */
  static long bytesAt(MemorySegment chunk, long at, long length) {
    return Math.max(0, Math.min(chunk.byteSize(), length - at));
  }

  private void create(String name, long length, SegmentFile.Transfer fill) {
    Path file = SegmentFile.pathOf(name);
    synchronized (created) {
      created.add(file); // before it exists: a delete that races the creation finds it afterwards
    }
    try {
      SegmentFile.create(name, Math.max(1, length), fill);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + length + " bytes to shared memory (" + file + "): "
          + e.getMessage(), e);
    }
  }

  /** {@return the files of the segments created so far} */
  public List<Path> created() {
    synchronized (created) {
      return List.copyOf(created);
    }
  }

  /** Deletes every segment this writer created that still exists; may be called from any thread, repeatedly. */
  public void deleteCreated() {
    delete(created());
  }

  /**
   * Deletes segment files, logging (not throwing) what cannot be deleted.
   *
   * @param files the files
   */
  public static void delete(List<Path> files) {
    for (Path p : files) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        Log.LOG.warn("could not delete the shared-memory segment {}: {}", p, e.toString());
      }
    }
  }

  static ValueLayout layout(int type) {
    return switch (type) {
      case SharedValues.BYTES, SharedValues.BYTE_BUFFER, SharedValues.SERIALIZED -> ValueLayout.JAVA_BYTE;
      case SharedValues.INTS -> ValueLayout.JAVA_INT;
      case SharedValues.LONGS -> ValueLayout.JAVA_LONG;
      case SharedValues.DOUBLES -> ValueLayout.JAVA_DOUBLE;
      case SharedValues.FLOATS -> ValueLayout.JAVA_FLOAT;
      case SharedValues.SHORTS -> ValueLayout.JAVA_SHORT;
      case SharedValues.CHARS -> ValueLayout.JAVA_CHAR;
      default -> throw new IllegalArgumentException("unknown out-of-band type: 0x" + Integer.toHexString(type));
    };
  }

  private static String newName() {
    return SharedValues.NAME_PREFIX + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }
}
