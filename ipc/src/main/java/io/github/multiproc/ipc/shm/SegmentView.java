package io.github.multiproc.ipc.shm;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Common part of the typed views: the segment, a checked slice of its data region, and whether
 * the view owns its mapping (true when it was deserialized and attached the segment itself).
 */
abstract sealed class SegmentView implements AutoCloseable
    permits SharedLong, SharedInt, SharedLongArray, SharedIntArray, SharedDoubleArray {

  final SharedMemory memory;
  final long offset;
  final MemorySegment segment;
  private final boolean ownsMapping;

  SegmentView(SharedMemory memory, long offset, long bytes, int alignment, boolean ownsMapping) {
    this.memory = Objects.requireNonNull(memory, "memory");
    if (offset < 0 || offset % alignment != 0) {
      throw new IllegalArgumentException("offset must be a non-negative multiple of " + alignment
          + ": offset=" + offset);
    }
    if (bytes < 0 || offset + bytes > memory.byteSize()) {
      throw new IndexOutOfBoundsException("view of " + bytes + " bytes at offset " + offset
          + " does not fit in segment " + memory.name() + " of " + memory.byteSize() + " bytes");
    }
    this.offset = offset;
    this.segment = memory.segment().asSlice(offset, bytes);
    this.ownsMapping = ownsMapping;
  }

  /** {@return the segment this view reads and writes} */
  public SharedMemory memory() {
    return memory;
  }

  /** {@return offset of this view in the segment's data region} */
  public long offset() {
    return offset;
  }

  /**
   * Unmaps the segment if this view attached it (a view that arrived by deserialization);
   * otherwise does nothing, since the {@link SharedMemory} it came from owns the mapping.
   */
  @Override
  public void close() {
    if (ownsMapping) {
      memory.close();
    }
  }
}
