package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A one-shot hand-over of bytes through a segment file: the creator writes and publishes it
 * ({@link #create}), the receiver, which may not trust the creator, checks and reads it
 * ({@link #read}); the process pool's large inputs and results travel this way. Unlike
 * {@link SharedMemory#attach}, reading never follows a symbolic link, refuses anything but a
 * regular file, never maps, and checks the header's owner and size against what the receiver
 * expects before a byte of data is read, so a name chosen by the sender can make the receiver
 * open neither an arbitrary file nor read an arbitrary size.
 *
 * {@snippet :
 * Path claimed = SegmentFile.claim(name);            // now ours: the sender's death cannot sweep it
 * try {
 *   SegmentFile.read(claimed, senderPid, out.length,
      (chunk, at) -> MemorySegment.copy(chunk, JAVA_BYTE, 0, out, (int) at, (int) chunk.byteSize()));
 * } finally {
 *   Files.deleteIfExists(claimed);
 * }
 * }
 *
 * <p><b>Claiming.</b> {@link #claim} renames {@code multiproc-<name>} to
 * {@code multiproc-.tmp-r-<this pid>-<name>}, one {@code rename(2)} that never opens the file
 * (so it cannot block on a FIFO) and moves a link rather than its target. From then on the file
 * belongs to the receiver for the orphan sweep: {@link SegmentSweeper#sweepOwnedBy} of the dead
 * sender leaves it alone, and it is swept only once the receiver is dead.
 *
 * <p>Thread safety: stateless; every method may be called from any thread.
 *
 * @since 0.2
 */
public final class SegmentFile {

  private SegmentFile() {}

  /**
   * The file of a segment name.
   *
   * @param name a segment name (as given to {@link SharedMemory#create(String, long)})
   * @return its path
   * @throws IllegalArgumentException if the name is not a valid segment name
   */
  public static Path pathOf(String name) {
    return ShmDirectory.pathOf(name);
  }

  /**
   * The name {@link #claim} gives a segment in this process.
   *
   * @param name a segment name
   * @return the claimed file's path
   */
  public static Path claimedPathOf(String name) {
    ShmDirectory.checkName(name);
    return ShmDirectory.directory().resolve(ShmDirectory.TEMP_PREFIX + "r-" + Pids.current() + "-" + name);
  }

  /**
   * Takes a segment over from its creator by renaming it (see the class comment).
   *
   * @param name the segment's name
   * @return the claimed file's path; delete it when done
   * @throws IOException if no such file exists or it cannot be renamed
   */
  public static Path claim(String name) throws IOException {
    Path claimed = claimedPathOf(name);
    Files.move(pathOf(name), claimed, StandardCopyOption.ATOMIC_MOVE);
    return claimed;
  }

  /**
   * Moves one chunk of a transfer between a staging buffer and its source or destination.
   */
  @FunctionalInterface
  public interface Transfer {
    /**
     * Copies one chunk.
     *
     * @param chunk the staging buffer: at most {@link #CHUNK_BYTES}, a multiple of 8 except the last
     * @param offset the chunk's offset in the segment's data region
     */
    void copy(MemorySegment chunk, long offset);
  }

  /** The staging buffer of a transfer: 1 MiB, so that it stays in the CPU's caches. */
  public static final int CHUNK_BYTES = 1 << 20;

  /**
   * Creates and publishes a segment whose data region {@code fill} writes, chunk by chunk, with
   * {@code write(2)} rather than through a mapping: on tmpfs a fresh mapping costs a page fault
   * per 4 KiB page, which made a 64 MiB segment take ~200 ms to fill against ~20 ms this way
   * (this machine, 2026-12-04). Publication is atomic as for {@link SharedMemory#create}: the
   * file is written under a temporary name ({@code multiproc-.tmp-c-<pid>-...}, mode 0600) and
   * linked under its name only when complete.
   *
   * @param name the segment's name (1-200 characters of {@code [A-Za-z0-9._-]})
   * @param dataBytes the data region's size, at least 1
   * @param fill writes the data region
   * @return the segment's file
   * @throws IOException if the file cannot be created or written (no space left), or the name exists
   */
  public static Path create(String name, long dataBytes, Transfer fill) throws IOException {
    Path target = ShmDirectory.pathOf(name);
    if (dataBytes < 1) {
      throw new IllegalArgumentException("segment size must be at least 1 byte: dataBytes=" + dataBytes);
    }
    Path temp = ShmDirectory.directory().resolve(ShmDirectory.TEMP_PREFIX + "c-" + Pids.current() + "-"
        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1));
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(temp, java.util.EnumSet.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
      MemorySegment header = arena.allocate(SegmentDescriptor.HEADER_BYTES, 8);
      header.set(ValueLayout.JAVA_LONG, SegmentDescriptor.MAGIC_OFFSET, SegmentDescriptor.MAGIC);
      header.set(ValueLayout.JAVA_INT, SegmentDescriptor.VERSION_OFFSET, SegmentDescriptor.VERSION);
      header.set(ValueLayout.JAVA_INT, SegmentDescriptor.HEADER_BYTES_OFFSET, SegmentDescriptor.HEADER_BYTES);
      header.set(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_PID_OFFSET, Pids.current());
      header.set(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_START_OFFSET, Pids.currentStartMillis());
      header.set(ValueLayout.JAVA_LONG, SegmentDescriptor.DATA_BYTES_OFFSET, dataBytes);
      writeFully(channel, header.asByteBuffer());
      MemorySegment staging = arena.allocate(Math.min(CHUNK_BYTES, dataBytes), 64);
      for (long at = 0; at < dataBytes; at += staging.byteSize()) {
        MemorySegment chunk = staging.asSlice(0, Math.min(staging.byteSize(), dataBytes - at));
        fill.copy(chunk, at);
        writeFully(channel, chunk.asByteBuffer());
      }
      Files.createLink(target, temp); // atomic and exclusive: the name appears complete or not at all
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Checks a segment file and reads its data region chunk by chunk with {@code read(2)} (no
   * mapping: see {@link #create}).
   *
   * @param file the segment's file
   * @param ownerPid the process that must have created it
   * @param dataBytes the size its data region must have, at least 1
   * @param drain takes each chunk of the data region (valid only during the call)
   * @throws IOException if the file is missing, not a regular file, a link, of another size, not
   *     a published segment, or created by another process
   */
  public static void read(Path file, long ownerPid, long dataBytes, Transfer drain) throws IOException {
    if (dataBytes < 1) {
      throw new IOException("a segment's data region must be at least 1 byte: dataBytes=" + dataBytes);
    }
    long fileBytes = Math.addExact(dataBytes, SegmentDescriptor.HEADER_BYTES);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new IOException("no segment file " + file, e);
    }
    if (!attributes.isRegularFile() || attributes.size() != fileBytes) {
      throw new IOException("segment file " + file + " must be a regular file of " + fileBytes + " bytes: "
          + (attributes.isSymbolicLink() ? "a symbolic link" : attributes.isRegularFile()
              ? attributes.size() + " bytes" : "not a regular file"));
    }
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (channel.size() != fileBytes) {
        throw new IOException("segment file " + file + " changed size: " + channel.size() + " bytes, expected "
            + fileBytes);
      }
      MemorySegment header = arena.allocate(SegmentDescriptor.HEADER_BYTES, 8);
      readFully(channel, header.asByteBuffer(), file);
      long magic = header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.MAGIC_OFFSET);
      int version = header.get(ValueLayout.JAVA_INT, SegmentDescriptor.VERSION_OFFSET);
      long owner = header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_PID_OFFSET);
      long data = header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.DATA_BYTES_OFFSET);
      if (magic != SegmentDescriptor.MAGIC || version != SegmentDescriptor.VERSION || owner != ownerPid
          || data != dataBytes) {
        throw new IOException("segment file " + file + " must be a published segment of process " + ownerPid
            + " with " + dataBytes + " data bytes: magic=0x" + Long.toHexString(magic) + ", version=" + version
            + ", owner=" + owner + ", dataBytes=" + data);
      }
      MemorySegment staging = arena.allocate(Math.min(CHUNK_BYTES, dataBytes), 64);
      for (long at = 0; at < dataBytes; at += staging.byteSize()) {
        MemorySegment chunk = staging.asSlice(0, Math.min(staging.byteSize(), dataBytes - at));
        readFully(channel, chunk.asByteBuffer(), file);
        drain.copy(chunk, at);
      }
    }
  }

  private static void writeFully(FileChannel channel, java.nio.ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private static void readFully(FileChannel channel, java.nio.ByteBuffer b, Path file) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new IOException("segment file " + file + " ended early");
      }
    }
  }
}
