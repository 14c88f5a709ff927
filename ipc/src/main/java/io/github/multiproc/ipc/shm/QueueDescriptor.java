package io.github.multiproc.ipc.shm;

/**
 * Layout of a {@link SharedQueue} in the data region of its segment, and the encoding of slot
 * state words. Layout only.
 *
 * <h2>Header (320 bytes; hot counters on their own 64-byte lines)</h2>
 * <pre>
 *    0 +--------------------+-----------+----------------+-------------+-----------+
 *      | magic (int64)      | capacity  | max message    | slot stride | closed    |
 *      | "MPQUEUE1"         | (int32)   | bytes (int32)  | (int32)     | (int32)   |
 *   64 +--------------------+-----------+----------------+-------------+-----------+
 *      | tail: next position to claim for writing (int64)                          |
 *  128 +---------------------------------------------------------------------------+
 *      | head: next position to claim for reading (int64)                          |
 *  192 +-----------------------------+-----------------------------+---------------+
 *      | not-empty sequence (int32)  | not-empty waiters (int32)   |               |
 *  256 +-----------------------------+-----------------------------+---------------+
 *      | not-full sequence (int32)   | not-full waiters (int32)    |               |
 *  320 +---------------------------------------------------------------------------+
 *      | slot 0 | slot 1 | ... | slot capacity-1                                    |
 * </pre>
 *
 * <h2>Slot ({@code stride} = 16 + max message bytes, rounded up to 64)</h2>
 * <pre>
 *  0                    8             12            16
 *  +--------------------+-------------+-------------+--------------------------------+
 *  | state (int64)      | length      | (unused)    | message bytes (length of them)  |
 *  +--------------------+-------------+-------------+--------------------------------+
 *
 *  state bits:  63..62 tag | 61..32 pid (30 bits) | 31..0 position (low 32 bits)
 *    EMPTY   (00)  pid 0     waiting to be written for position p
 *    WRITING (01)  writer    claimed for position p by process pid, being written
 *    FULL    (10)  pid 0     holds the message of position p
 *    READING (11)  reader    claimed for reading position p by process pid, being copied out
 * </pre>
 *
 * <h2>Protocol</h2>
 * Slot {@code i} serves positions {@code i, i + capacity, i + 2*capacity, ...}. Every state change
 * is a compare-and-set on the state word except the two made by the claimer itself:
 * <ol>
 *   <li>A producer reads {@code tail = p}; if slot {@code p % capacity} is {@code EMPTY(p)} it
 *       claims it with CAS to {@code WRITING(pid, p)}, then advances {@code tail} by CAS from
 *       {@code p} to {@code p + 1}. Anyone who finds slot {@code p} already claimed while
 *       {@code tail == p} helps by doing that CAS, so a producer that dies between the two steps
 *       never stalls the others.</li>
 *   <li>The producer writes length and bytes, then stores {@code FULL(p)} with release
 *       semantics: <b>a FULL state is the commit</b>.</li>
 *   <li>A consumer reads {@code head = h}; if the slot is {@code FULL(h)} it claims it with CAS
 *       to {@code READING(pid, h)} and advances {@code head} (helped likewise), copies the bytes
 *       out, and stores {@code EMPTY(h + capacity)} with release semantics, freeing the slot for
 *       the next lap.</li>
 *   <li>Recovery: a {@code WRITING} or {@code READING} state whose pid is no longer alive is
 *       replaced by CAS with {@code EMPTY(p + capacity)}: the slot is skipped as if it had been
 *       consumed. Only the message that the dead process was writing or reading is lost.</li>
 *   <li>Close: {@code closed} is set to 1. A producer checks it after claiming and, if set,
 *       abandons its slot (stores {@code EMPTY(p + capacity)}) and fails. A consumer reads
 *       {@code closed} before the head slot's state; closed and {@code EMPTY(h)} means no
 *       producer will ever fill position {@code h}: end of stream.</li>
 * </ol>
 * Positions are 64-bit in the header; states keep their low 32 bits, which is unambiguous
 * because a slot only ever holds positions {@code p - capacity}, {@code p} or
 * {@code p + capacity} when position {@code p} is examined, and capacity is at most 2^30.
 */
final class QueueDescriptor {

  static final long MAGIC = 0x3145_5545_5551_504DL; // the bytes "MPQUEUE1" read as a little-endian long
  static final long MAGIC_OFFSET = 0;
  static final long CAPACITY_OFFSET = 8;
  static final long MAX_MESSAGE_BYTES_OFFSET = 12;
  static final long STRIDE_OFFSET = 16;
  static final long CLOSED_OFFSET = 20;
  static final long TAIL_OFFSET = 64;
  static final long HEAD_OFFSET = 128;
  static final long NOT_EMPTY_SEQUENCE_OFFSET = 192;
  static final long NOT_EMPTY_WAITERS_OFFSET = 196;
  static final long NOT_FULL_SEQUENCE_OFFSET = 256;
  static final long NOT_FULL_WAITERS_OFFSET = 260;
  static final long SLOTS_OFFSET = 320;

  static final long SLOT_STATE_OFFSET = 0;
  static final long SLOT_LENGTH_OFFSET = 8;
  static final long SLOT_PAYLOAD_OFFSET = 16;

  static final int MAX_CAPACITY = 1 << 30;

  static final long TAG_MASK = 3L << 62;
  static final long EMPTY = 0;
  static final long WRITING = 1L << 62;
  static final long FULL = 2L << 62;
  static final long READING = 3L << 62;

  private QueueDescriptor() {}

  static int stride(int maxMessageBytes) {
    return (int) ((SLOT_PAYLOAD_OFFSET + maxMessageBytes + 63) & ~63L);
  }

  static long segmentBytes(int capacity, int maxMessageBytes) {
    return SLOTS_OFFSET + (long) capacity * stride(maxMessageBytes);
  }

  static long state(long tag, long pid, long position) {
    return tag | (pid << 32) | (position & 0xFFFF_FFFFL);
  }

  static long tag(long state) {
    return state & TAG_MASK;
  }

  static long pid(long state) {
    return (state >>> 32) & Pids.MAX_SLOT_PID;
  }

  /** Distance from {@code position} to the position in {@code state}, modulo 2^32. */
  static int distance(long state, long position) {
    return (int) state - (int) position;
  }
}
