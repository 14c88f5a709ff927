package io.github.multiproc.ipc.shm;

/**
 * Layout of the segment behind a {@link ProcessSemaphore} or {@link ProcessLock}. Layout only.
 *
 * <pre>
 *   0 +------------------------+------------------+------------------------------------+
 *     | magic "MPPERMIT" (int64)| permits (int32)  |                                    |
 *  64 +------------------------+------------------+------------------------------------+
 *     | released sequence (int32) | waiters (int32) |                                  |
 * 128 +---------------------------------------------------------------------------------+
 *
 *  file byte 2^40 + i  (beyond the end of the file, never mapped): permit i. Holding permit i
 *  means holding an exclusive record lock on that one byte; the kernel drops it when the
 *  holder's file descriptor closes, including when the holder process dies.
 * </pre>
 *
 * The released sequence is an {@link EventCount}: a release bumps it and wakes sleepers; a
 * permit freed by a dying holder is noticed when a sleeper's time slice ends.
 */
final class PermitDescriptor {

  static final long MAGIC = 0x5449_4D52_4550_504DL; // the bytes "MPPERMIT" read as a little-endian long
  static final long MAGIC_OFFSET = 0;
  static final long PERMITS_OFFSET = 8;
  static final long RELEASED_SEQUENCE_OFFSET = 64;
  static final long WAITERS_OFFSET = 68;
  static final long BYTES = 128;

  private PermitDescriptor() {}
}
