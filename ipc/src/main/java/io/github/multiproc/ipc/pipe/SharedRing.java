package io.github.multiproc.ipc.pipe;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A one-way ring of bytes in a shared-memory file, through which a pipe moves large messages
 * without copying them through the kernel: the sender copies a message in, tells the receiver
 * where it is with a small frame on the socket, the receiver copies it out and publishes how far
 * it has consumed. The socket keeps ordering, wake-ups and end of stream; the ring only carries
 * bytes.
 *
 * <pre>
 *  offset  size      field
 *   0      8         consumed: bytes of the ring stream the receiver has copied out (int64,
 *                    native order); written by the receiver with release, read by the sender
 *                    with acquire
 *   8      56        reserved (keeps the data off the consumed counter's cache line)
 *  64      capacity  data: stream position p lives at 64 + (p mod capacity), wrapping around
 * </pre>
 *
 * <p>Flow control: the sender writes the bytes at stream positions {@code [p, p + n)} only when
 * {@code p + n - consumed <= capacity}. Visibility of the data: the sender writes the bytes,
 * then the frame naming them; the receiver reads the frame, then the bytes; the socket's write
 * and read order the two.
 *
 * <p>Lifecycle: the sender creates the file (mode 0600) in {@code /dev/shm}; the receiver maps it
 * and deletes its name at once, so nothing is left behind once both have it mapped; the sender
 * deletes it too when it closes (the receiver may never have mapped it). Closing unmaps at once.
 *
 * <p>Thread safety: {@link #write} is called by one sender at a time, {@link #read} by one
 * receiver at a time; {@link #close()} may race with either, which then fails with
 * {@link IllegalStateException}.
 */
final class SharedRing implements Closeable {

  static final long CONSUMED_OFFSET = 0;
  static final long DATA_OFFSET = 64;
  static final Path SHM_DIR = Path.of("/dev/shm");
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;
  private final long capacity;

  private SharedRing(Path path, Arena arena, MemorySegment segment, long capacity) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
    this.capacity = capacity;
  }

  /** @return whether shared-memory files can be created here (Linux {@code /dev/shm}) */
  static boolean supported() {
    return Files.isDirectory(SHM_DIR) && Files.isWritable(SHM_DIR);
  }

  /** Creates a ring file of {@code capacity} data bytes and maps it. */
  static SharedRing create(long capacity) throws IOException {
    byte[] r = new byte[8];
    new SecureRandom().nextBytes(r);
    Path path = SHM_DIR.resolve("multiproc-pipe-" + ProcessHandle.current().pid() + "-"
        + HexFormat.of().formatHex(r));
    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      return map(path, capacity, true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** Maps a ring created by the peer, then deletes its name. */
  static SharedRing attach(Path path, long capacity) throws IOException {
    try {
      return map(path, capacity, false);
    } finally {
      Files.deleteIfExists(path);
    }
  }

  private static SharedRing map(Path path, long capacity, boolean create) throws IOException {
    if (capacity <= 0 || Long.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of 2: capacity=" + capacity);
    }
    Arena arena = Arena.ofShared();
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = DATA_OFFSET + capacity;
      if (create) {
        fc.truncate(size);
        fc.write(java.nio.ByteBuffer.allocate(1), size - 1);
      } else if (fc.size() != size) {
        throw new IOException("shared ring " + path + " must be " + size + " bytes: size=" + fc.size());
      }
      return new SharedRing(path, arena, fc.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), capacity);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  long capacity() {
    return capacity;
  }

  /** @return the receiver's consumed position (acquire) */
  long consumed() {
    return (long) LONG.getAcquire(segment, CONSUMED_OFFSET);
  }

  /** Publishes the receiver's consumed position (release). */
  void consumedTo(long position) {
    LONG.setRelease(segment, CONSUMED_OFFSET, position);
  }

  /** Copies {@code len} bytes into the ring at stream position {@code position}. */
  void write(long position, byte[] src, int off, int len) {
    int at = (int) (position & (capacity - 1));
    int first = (int) Math.min(len, capacity - at);
    MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, DATA_OFFSET + at, first);
    if (first < len) {
      MemorySegment.copy(src, off + first, segment, ValueLayout.JAVA_BYTE, DATA_OFFSET, len - first);
    }
  }

  /** Copies {@code len} bytes out of the ring from stream position {@code position}. */
  void read(long position, byte[] dst, int off, int len) {
    int at = (int) (position & (capacity - 1));
    int first = (int) Math.min(len, capacity - at);
    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, DATA_OFFSET + at, dst, off, first);
    if (first < len) {
      MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, DATA_OFFSET, dst, off + first, len - first);
    }
  }

  /** Unmaps the ring at once and deletes its file if it still has a name. Idempotent. */
  @Override
  public void close() throws IOException {
    try {
      if (arena.scope().isAlive()) {
        arena.close();
      }
    } catch (IllegalStateException e) {
      // already closed by a racing close(), or in use by a thread that will fail on its own
    } finally {
      Files.deleteIfExists(path);
    }
  }
}
