package io.github.multiproc.ipc.shm;

/**
 * Layout of the header at the start of every shared-memory segment file. Layout only.
 *
 * <pre>
 *  0                   8         12        16                  24                  32
 *  +-------------------+---------+---------+-------------------+-------------------+
 *  | magic (int64)     | version | header  | owner pid (int64) | owner start time  |
 *  | 0x4D5053484D000001 | (int32) | bytes   |                   | (epoch ms, int64) |
 *  +-------------------+---------+---------+-------------------+-------------------+
 *  32                  40                                                          64
 *  +-------------------+-----------------------------------------------------------+
 *  | data bytes (int64)| reserved (zero)                                           |
 *  +-------------------+-----------------------------------------------------------+
 *  64 ... data region (data bytes long), where {@link SharedMemory#segment()} begins
 * </pre>
 *
 * All fields are native byte order (segments never leave the machine). Publication: the creator
 * writes every field into a file with a temporary name, writes {@code magic} last with release
 * semantics, and only then links the file under its public name, so whoever can open a segment
 * by name sees a complete header. The owner pid and start time identify the creating process:
 * the orphan sweep unlinks a segment whose owner is gone (the start time defeats pid reuse).
 */
final class SegmentDescriptor {

  static final long MAGIC = 0x4D5053484D000001L; // "MPSHM", 0, 0, version 1 (most significant byte first)
  static final int VERSION = 1;

  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 8;
  static final int HEADER_BYTES_OFFSET = 12;
  static final int OWNER_PID_OFFSET = 16;
  static final int OWNER_START_OFFSET = 24;
  static final int DATA_BYTES_OFFSET = 32;

  /** Size of the header; the data region starts here (a multiple of the cache line). */
  static final int HEADER_BYTES = 64;

  private SegmentDescriptor() {}
}
