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
 * A one-way ring of message records in a shared-memory file: the data path of a pipe direction.
 * The sender appends records and publishes its position; the receiver spins on that position
 * (a memory load, no system call) and, when it gives up spinning, says so in a flag and blocks
 * on the socket, where the sender then sends a wake-up. The socket keeps the handshake, the
 * wake-ups, messages too big for the ring, and end of stream.
 *
 * <pre>
 *  offset  size      field (int64 fields in native byte order)
 *    0     8         consumed:  stream position up to which the receiver has copied records
 *                               out; written by the receiver (release), read by the sender
 *                               (acquire) to find free space
 *   64     8         published: stream position up to which records are complete; written by
 *                               the sender (volatile) after the record's bytes, read by the
 *                               receiver (acquire/volatile) before them
 *  128     8         sleeping:  1 while the receiver is about to block on the socket; the
 *                               sender that sees it (compare-and-set 1 -> 0) sends a wake-up
 *  192     capacity  data: stream position p is at 192 + (p mod capacity)
 *
 *  record at an 8-aligned position p:
 *   +0     4         length (int32) of the message, or -1: "the next message is a DATA frame on
 *                    the socket" (too big for the ring)
 *   +4     4         kind (int32) of the message: 0 bytes, 1 an encoded object ({@link MessageKind})
 *   +8     length    the message bytes (may wrap around the end of the data area)
 *          pad       to the next multiple of 8
 * </pre>
 *
 * <p>Lost wake-ups cannot happen: the receiver sets {@code sleeping}, then re-reads
 * {@code published}; the sender sets {@code published}, then reads {@code sleeping}; all four
 * accesses are sequentially consistent, so at least one side sees the other's write. Flow
 * control: a record of {@code n} bytes is written only when {@code published + n - consumed <=
 * capacity}.
 *
 * <p>Lifecycle: the sender creates the file (mode 0600) in {@code /dev/shm}; the receiver maps it
 * and deletes its name at once, so nothing is left behind once both have it mapped; the sender
 * deletes it too when it closes (the receiver may never have mapped it). Closing unmaps at once.
 *
 * <p>Thread safety: the sender's methods are called by one thread at a time, the receiver's by
 * one thread at a time; {@link #close()} may race with either, which then fails with
 * {@link IllegalStateException}.
 */
final class SharedRing implements Closeable {

  static final long CONSUMED_OFFSET = 0;
  static final long PUBLISHED_OFFSET = 64;
  static final long SLEEPING_OFFSET = 128;
  static final long DATA_OFFSET = 192;
  static final int RECORD_HEADER_BYTES = 8;
  /** Record length that stands for "the message is the next DATA frame on the socket". */
  static final int ON_SOCKET = -1;
  static final Path SHM_DIR = Path.of("/dev/shm");
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

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
    if (capacity < 4096 || Long.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of 2 >= 4096: capacity=" + capacity);
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

  /** @return the bytes a record of a {@code length}-byte message takes, header and padding included */
  static long recordSize(int length) {
    return RECORD_HEADER_BYTES + ((length + 7L) & ~7L);
  }

  /** @return the receiver's consumed position (acquire) */
  long consumed() {
    return (long) LONG.getAcquire(segment, CONSUMED_OFFSET);
  }

  /** Receiver: publishes its consumed position (release). */
  void consumedTo(long position) {
    LONG.setRelease(segment, CONSUMED_OFFSET, position);
  }

  /** @return the sender's published position (volatile) */
  long published() {
    return (long) LONG.getVolatile(segment, PUBLISHED_OFFSET);
  }

  /** Sender: writes a record at stream position {@code position} (not yet visible). */
  void writeRecord(long position, int length, MessageKind kind, byte[] src, int off) {
    segment.set(INT, DATA_OFFSET + (position & (capacity - 1)), length);
    segment.set(INT, DATA_OFFSET + (position & (capacity - 1)) + 4, kind.ringCode());
    if (length > 0) {
      copyIn(position + RECORD_HEADER_BYTES, src, off, length);
    }
  }

  /** Sender: makes everything before {@code position} visible (volatile). */
  void publish(long position) {
    LONG.setVolatile(segment, PUBLISHED_OFFSET, position);
  }

  /** Receiver: the length field of the record at {@code position} (after reading published). */
  int recordLength(long position) {
    return segment.get(INT, DATA_OFFSET + (position & (capacity - 1)));
  }

  /** Receiver: the kind word of the record at {@code position} (after reading published). */
  int recordKind(long position) {
    return segment.get(INT, DATA_OFFSET + (position & (capacity - 1)) + 4);
  }

  /** Receiver: copies the message of the record at {@code position} out. */
  void readMessage(long position, byte[] dst) {
    copyOut(position + RECORD_HEADER_BYTES, dst, 0, dst.length);
  }

  /** Receiver: announces it is about to block (volatile). */
  void sleeping(boolean asleep) {
    LONG.setVolatile(segment, SLEEPING_OFFSET, asleep ? 1L : 0L);
  }

  /** Sender: whether the receiver was asleep; clears the flag so only one wake-up is sent. */
  boolean takeSleeping() {
    return (long) LONG.getVolatile(segment, SLEEPING_OFFSET) == 1L
        && LONG.compareAndSet(segment, SLEEPING_OFFSET, 1L, 0L);
  }

  private void copyIn(long position, byte[] src, int off, int len) {
    int at = (int) (position & (capacity - 1));
    int first = (int) Math.min(len, capacity - at);
    MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, DATA_OFFSET + at, first);
    if (first < len) {
      MemorySegment.copy(src, off + first, segment, ValueLayout.JAVA_BYTE, DATA_OFFSET, len - first);
    }
  }

  private void copyOut(long position, byte[] dst, int off, int len) {
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
      unmap();
    } finally {
      Files.deleteIfExists(path);
    }
  }

  /**
   * Sender: unmaps the ring, deleting its file only if the receiver can no longer need it: it
   * mapped the ring already (and deleted the name), or it is known to be gone. Otherwise the
   * file stays for the receiver, which deletes it when it maps it (or, closing without reading,
   * when it finds the announcement).
   */
  void closeAsSender(boolean receiverGone) throws IOException {
    if (receiverGone) {
      close();
    } else {
      unmap();
    }
  }

  private void unmap() {
    try {
      if (arena.scope().isAlive()) {
        arena.close();
      }
    } catch (IllegalStateException e) {
      // already closed by a racing close(), or in use by a thread that will fail on its own
    }
  }

  /** Deletes a ring file named in an announcement that will never be mapped. */
  static void deleteUnmapped(Path path) throws IOException {
    if (SHM_DIR.equals(path.getParent()) && path.getFileName().toString().startsWith("multiproc-pipe-")) {
      Files.deleteIfExists(path);
    }
  }
}
