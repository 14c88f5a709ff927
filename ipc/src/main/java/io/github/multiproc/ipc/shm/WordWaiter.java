package io.github.multiproc.ipc.shm;

import java.lang.foreign.MemorySegment;

/**
 * Blocks a thread until a 32-bit word in shared memory changes, and wakes such threads: the
 * primitive under every blocking operation of this package. Implementations: {@link FutexWaiter}
 * (Linux, the kernel queues waiters on the physical address, so it works across processes and
 * an idle waiter uses no CPU) and {@link ParkingWaiter} (elsewhere: a bounded park-and-recheck
 * loop).
 *
 * <p>Waits may return early (spuriously, on a signal, or at the end of a time slice); callers
 * always re-check their condition. Implementations are stateless and thread-safe.
 */
interface WordWaiter {

  /**
   * Waits while the int at {@code segment[offset]} equals {@code expected}, at most
   * {@code timeoutNanos}. Returns immediately if the word already differs.
   */
  void await(MemorySegment segment, long offset, int expected, long timeoutNanos);

  /** Wakes every thread waiting on the int at {@code segment[offset]}, in any process. */
  void wakeAll(MemorySegment segment, long offset);

  /** The best waiter for this platform. */
  static WordWaiter forPlatform() {
    return FutexWaiter.isSupported() ? FutexWaiter.INSTANCE : ParkingWaiter.INSTANCE;
  }
}
