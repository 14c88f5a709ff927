package io.github.multiproc.ipc.shm;

import java.io.Serial;
import java.io.Serializable;

/**
 * Serialized form of every typed view: which kind, the segment's name, offset and length. On
 * arrival it attaches the segment and the new view owns that mapping (its {@code close()}
 * unmaps it).
 *
 * @param kind which typed view to rebuild
 * @param segmentName the {@link SharedMemory#name()} of the segment to attach
 * @param offset the view's byte offset in the segment's data region
 * @param length the number of elements of an array view; 1 for a single value
 */
record ViewHandle(Kind kind, String segmentName, long offset, long length) implements Serializable {

  enum Kind { LONG, INT, LONG_ARRAY, INT_ARRAY, DOUBLE_ARRAY }

  @Serial
  private Object readResolve() {
    SharedMemory memory = SharedMemory.attach(segmentName);
    try {
      return switch (kind) {
        case LONG -> new SharedLong(memory, offset, true);
        case INT -> new SharedInt(memory, offset, true);
        case LONG_ARRAY -> new SharedLongArray(memory, offset, length, true);
        case INT_ARRAY -> new SharedIntArray(memory, offset, length, true);
        case DOUBLE_ARRAY -> new SharedDoubleArray(memory, offset, length, true);
      };
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
  }
}
