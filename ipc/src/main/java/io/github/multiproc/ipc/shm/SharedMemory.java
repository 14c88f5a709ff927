package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A named block of memory shared between processes on one machine: a file in {@code /dev/shm}
 * (the temporary directory on other systems), created with mode {@code 0600} and memory-mapped
 * through the FFM API. The counterpart of Python's {@code multiprocessing.shared_memory.SharedMemory}.
 *
 * {@snippet :
 * try (SharedMemory memory = SharedMemory.create("frames", 4L << 30)) {   // 4 GiB is fine
 *   MemorySegment data = memory.segment();
 *   data.set(ValueLayout.JAVA_DOUBLE, 0, 3.14);
 *   SharedLong done = memory.longAt(8);
 *   pool.map(i -> { done.getAndAdd(1); return i; }, inputs);  // the view travels as a handle
 *   memory.unlink();                                           // remove the name when done
 * }
 * }
 *
 * <p><b>Lifecycle.</b> {@link #create} makes a new segment (failing if the name exists),
 * {@link #attach} maps an existing one. {@link #close()} unmaps it from this process at once (the
 * FFM arena is closed; it never waits for the garbage collector); any later access through
 * {@link #segment()} throws {@link IllegalStateException}. {@link #unlink()} removes the name: the
 * memory itself lives until the last process unmaps it. Each segment records its creator's pid;
 * {@link SegmentSweeper} unlinks segments whose creator has died, and the process pool runs it
 * for its workers.
 *
 * <p><b>Serialization.</b> A {@code SharedMemory} serializes as its name. Deserializing it (for
 * example inside a task running in a worker JVM) attaches the segment anew; the receiver owns
 * that mapping and should {@link #close()} it when done.
 *
 * <p><b>Thread safety and memory visibility.</b> This object is thread-safe. Plain accesses to
 * {@link #segment()} carry no ordering between processes: publish data with a release write and
 * read it with an acquire read (for example through {@link SharedLong#setRelease} and
 * {@link SharedLong#getAcquire}) or hand over through a {@link SharedQueue} or a
 * {@link ProcessLock}, both of which order everything written before the hand-over.
 *
 * @since 0.1
 */
public final class SharedMemory implements AutoCloseable, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final transient String name;
  private final transient Path path;
  private final transient Arena arena;
  private final transient MemorySegment mapped;
  private final transient MemorySegment data;
  private final transient AtomicBoolean closed = new AtomicBoolean();

  private SharedMemory(String name, Path path, Arena arena, MemorySegment mapped) {
    this.name = name;
    this.path = path;
    this.arena = arena;
    this.mapped = mapped;
    long dataBytes = mapped.get(ValueLayout.JAVA_LONG, SegmentDescriptor.DATA_BYTES_OFFSET);
    this.data = mapped.asSlice(SegmentDescriptor.HEADER_BYTES, dataBytes);
  }

  /**
   * Creates a segment of {@code bytes} bytes, zero-filled, named {@code name}.
   *
   * @param name 1-200 characters of {@code [A-Za-z0-9._-]}; the file is {@code multiproc-<name>}
   * @param bytes size of the data region, at least 1 (any size the file system allows)
   * @return the mapped segment; this process is its owner
   * @throws IllegalArgumentException if the name is invalid or {@code bytes < 1}
   * @throws UncheckedIOException if the segment already exists ({@link FileAlreadyExistsException}
   *     as cause) or the file system refuses
   */
  public static SharedMemory create(String name, long bytes) {
    return create(name, bytes, segment -> {});
  }

  /**
   * Creates a segment with a fresh unique name (see {@link #name()}).
   *
   * @param bytes size of the data region, at least 1
   * @return the mapped segment
   */
  public static SharedMemory create(long bytes) {
    return create(uniqueName("seg"), bytes);
  }

  /** A name no other live segment uses, with the pid of this process and a random part. */
  static String uniqueName(String kind) {
    return kind + "-" + Pids.current() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /**
   * Creates a segment and runs {@code initializer} on its data region before the name becomes
   * visible to any other process, so attachers never see a half-initialized structure.
   */
  static SharedMemory create(String name, long bytes, Consumer<MemorySegment> initializer) {
    ShmDirectory.checkName(name);
    if (bytes < 1) {
      throw new IllegalArgumentException("segment size must be at least 1 byte: bytes=" + bytes);
    }
    Path dir = ShmDirectory.directory();
    Path target = dir.resolve(ShmDirectory.PREFIX + name);
    Path temp = dir.resolve(ShmDirectory.TEMP_PREFIX + uniqueName("c"));
    long fileBytes = Math.addExact(bytes, SegmentDescriptor.HEADER_BYTES);
    Arena arena = Arena.ofShared();
    boolean published = false;
    try {
      MemorySegment mapped;
      try (FileChannel channel = open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE), true)) {
        channel.write(java.nio.ByteBuffer.allocate(1), fileBytes - 1); // sets the size, sparse
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileBytes, arena);
      }
      mapped.set(ValueLayout.JAVA_INT, SegmentDescriptor.VERSION_OFFSET, SegmentDescriptor.VERSION);
      mapped.set(ValueLayout.JAVA_INT, SegmentDescriptor.HEADER_BYTES_OFFSET, SegmentDescriptor.HEADER_BYTES);
      mapped.set(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_PID_OFFSET, Pids.current());
      mapped.set(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_START_OFFSET, Pids.currentStartMillis());
      mapped.set(ValueLayout.JAVA_LONG, SegmentDescriptor.DATA_BYTES_OFFSET, bytes);
      initializer.accept(mapped.asSlice(SegmentDescriptor.HEADER_BYTES, bytes));
      Atomics.LONG.setRelease(mapped, (long) SegmentDescriptor.MAGIC_OFFSET, SegmentDescriptor.MAGIC);
      Files.createLink(target, temp); // atomic and exclusive: fails if the name exists
      published = true;
      return new SharedMemory(name, target, arena, mapped);
    } catch (IOException e) {
      throw new UncheckedIOException(e instanceof FileAlreadyExistsException
          ? "shared memory segment already exists: name=" + name + " (" + target + ")"
          : "cannot create shared memory segment " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
      if (!published) {
        arena.close();
      }
    }
  }

  /**
   * Maps an existing segment.
   *
   * @param name the name given to {@link #create}
   * @return the mapped segment; close it when done
   * @throws UncheckedIOException if no such segment exists ({@link NoSuchFileException} as
   *     cause) or it is not a multiproc segment
   */
  public static SharedMemory attach(String name) {
    Path path = ShmDirectory.pathOf(name);
    Arena arena = Arena.ofShared();
    boolean ok = false;
    try (FileChannel channel = open(path, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE), false)) {
      long size = channel.size();
      if (size < SegmentDescriptor.HEADER_BYTES) {
        throw new IOException("not a multiproc segment (file of " + size + " bytes is shorter than the header)");
      }
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      long magic = (long) Atomics.LONG.getAcquire(mapped, (long) SegmentDescriptor.MAGIC_OFFSET);
      int version = mapped.get(ValueLayout.JAVA_INT, SegmentDescriptor.VERSION_OFFSET);
      long dataBytes = mapped.get(ValueLayout.JAVA_LONG, SegmentDescriptor.DATA_BYTES_OFFSET);
      if (magic != SegmentDescriptor.MAGIC || version != SegmentDescriptor.VERSION
          || dataBytes != size - SegmentDescriptor.HEADER_BYTES) {
        throw new IOException("not a multiproc segment of version " + SegmentDescriptor.VERSION
            + ": magic=0x" + Long.toHexString(magic) + ", version=" + version + ", dataBytes=" + dataBytes
            + ", fileBytes=" + size);
      }
      ok = true;
      return new SharedMemory(name, path, arena, mapped);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no shared memory segment named " + name + " (" + path + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot attach shared memory segment " + path + ": " + e.getMessage(), e);
    } finally {
      if (!ok) {
        arena.close();
      }
    }
  }

  private static FileChannel open(Path path, Set<? extends OpenOption> options, boolean create) throws IOException {
    if (create && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(path, options, OWNER_ONLY);
    }
    return FileChannel.open(path, options);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Only the temporary name of a failed or finished creation; the sweep removes it later.
    }
  }

  /** {@return the name given at creation (without the {@code multiproc-} file prefix)} */
  public String name() {
    return name;
  }

  /** {@return the file backing this segment} */
  public Path path() {
    return path;
  }

  /** {@return the size of the data region in bytes} */
  public long byteSize() {
    return data.byteSize();
  }

  /** {@return pid of the process that created the segment} */
  public long ownerPid() {
    return mapped.get(ValueLayout.JAVA_LONG, SegmentDescriptor.OWNER_PID_OFFSET);
  }

  /**
   * The data region, valid until {@link #close()}. Its base address is aligned to 64 bytes.
   *
   * @return a native segment of {@link #byteSize()} bytes shared with every process that mapped it
   */
  public MemorySegment segment() {
    return data;
  }

  /**
   * Returns an atomic {@code long} view of 8 bytes of the data region. The view shares this
   * object's mapping: closing the view does nothing, closing this segment invalidates it.
   *
   * @param offset byte offset in the data region, a non-negative multiple of 8
   * @return a {@code long} view at {@code offset} of the data region
   * @throws IllegalArgumentException if {@code offset} is negative or not such a multiple
   * @throws IndexOutOfBoundsException if the view does not fit in the data region
   */
  public SharedLong longAt(long offset) {
    return new SharedLong(this, offset, false);
  }

  /**
   * Returns an atomic {@code int} view of 4 bytes of the data region. The view shares this
   * object's mapping: closing the view does nothing, closing this segment invalidates it.
   *
   * @param offset byte offset in the data region, a non-negative multiple of 4
   * @return an {@code int} view at {@code offset} of the data region
   * @throws IllegalArgumentException if {@code offset} is negative or not such a multiple
   * @throws IndexOutOfBoundsException if the view does not fit in the data region
   */
  public SharedInt intAt(long offset) {
    return new SharedInt(this, offset, false);
  }

  /**
   * Returns an array view of {@code length} {@code long}s with atomic element operations. The
   * view shares this object's mapping: closing the view does nothing, closing this segment
   * invalidates it.
   *
   * @param offset byte offset in the data region, a non-negative multiple of 8
   * @param length number of elements, zero or positive
   * @return a view of {@code length} longs from {@code offset}
   * @throws IllegalArgumentException if {@code offset} is negative or not such a multiple, or
   *     {@code length} is negative
   * @throws IndexOutOfBoundsException if the view does not fit in the data region
   */
  public SharedLongArray longArray(long offset, long length) {
    return new SharedLongArray(this, offset, length, false);
  }

  /**
   * Returns an array view of {@code length} {@code int}s with atomic element operations. The
   * view shares this object's mapping: closing the view does nothing, closing this segment
   * invalidates it.
   *
   * @param offset byte offset in the data region, a non-negative multiple of 4
   * @param length number of elements, zero or positive
   * @return a view of {@code length} ints from {@code offset}
   * @throws IllegalArgumentException if {@code offset} is negative or not such a multiple, or
   *     {@code length} is negative
   * @throws IndexOutOfBoundsException if the view does not fit in the data region
   */
  public SharedIntArray intArray(long offset, long length) {
    return new SharedIntArray(this, offset, length, false);
  }

  /**
   * Returns an array view of {@code length} {@code double}s with atomic element operations. The
   * view shares this object's mapping: closing the view does nothing, closing this segment
   * invalidates it.
   *
   * @param offset byte offset in the data region, a non-negative multiple of 8
   * @param length number of elements, zero or positive
   * @return a view of {@code length} doubles from {@code offset}
   * @throws IllegalArgumentException if {@code offset} is negative or not such a multiple, or
   *     {@code length} is negative
   * @throws IndexOutOfBoundsException if the view does not fit in the data region
   */
  public SharedDoubleArray doubleArray(long offset, long length) {
    return new SharedDoubleArray(this, offset, length, false);
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Unmaps the segment from this process at once. Idempotent. Other processes keep their
   * mappings; the file stays until {@link #unlink()}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      arena.close();
    }
  }

  /**
   * Removes the segment's name so no process can attach it any more; mappings stay valid until
   * closed. Idempotent.
   *
   * @throws UncheckedIOException if the file system refuses
   */
  public void unlink() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlink shared memory segment " + path, e);
    }
  }

  @Override
  public String toString() {
    return "SharedMemory[" + name + ", " + data.byteSize() + " bytes" + (closed.get() ? ", closed]" : "]");
  }

  /**
   * Replaces this segment by a handle holding only its name, so that the receiving JVM attaches
   * (maps) the same segment instead of copying its bytes.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new Handle(name);
  }

  /**
   * Rejects a stream that holds this class's own form: a genuine one only ever holds a handle.
   *
   * @param in the stream being read
   * @throws InvalidObjectException always
   */
  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("SharedMemory travels as a Handle");
  }

  /**
   * The serialized form: the name, re-attached on arrival.
   *
   * @param name the segment's name, as given at creation
   */
  private record Handle(String name) implements Serializable {
    @Serial
    private Object readResolve() {
      return attach(name);
    }
  }
}
