package io.github.multiproc.ipc.shm;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * An event count in shared memory: a sequence word that waiters sleep on and a count of
 * registered waiters, so that signalling costs one fence and one read while nobody sleeps.
 *
 * <p>Protocol (why no wake-up is lost). A waiter {@link #prepare() registers} (full fence), reads
 * the sequence, re-checks its condition, and only then sleeps on the sequence value it read. A
 * signaller makes its change visible, issues a full fence, and bumps the sequence and wakes if
 * the waiter count is non-zero. If the signaller saw no waiter, the waiter registered after the
 * change and its re-check sees it; otherwise the bump either precedes the waiter's read (the
 * re-check sees the change) or follows it (the kernel's compare in {@code futex_wait} fails or
 * the wake finds the sleeper). A waiter process that dies while registered leaves the count
 * too high, which costs later signallers a needless wake call but never correctness.
 */
final class EventCount {

  private final MemorySegment segment;
  private final long sequenceOffset;
  private final long waitersOffset;
  private final WordWaiter waiter;

  EventCount(MemorySegment segment, long sequenceOffset, long waitersOffset, WordWaiter waiter) {
    this.segment = segment;
    this.sequenceOffset = sequenceOffset;
    this.waitersOffset = waitersOffset;
    this.waiter = waiter;
  }

  /** Wakes waiters if there are any; call after making the awaited change visible. */
  void signal() {
    VarHandle.fullFence();
    if ((int) Atomics.INT.getVolatile(segment, waitersOffset) > 0) {
      signalAlways();
    }
  }

  /** Bumps the sequence and wakes every waiter unconditionally. */
  void signalAlways() {
    Atomics.INT.getAndAdd(segment, sequenceOffset, 1);
    waiter.wakeAll(segment, sequenceOffset);
  }

  /** Registers a waiter; returns the key to pass to {@link #await}. Always pair with {@link #cancel()}. */
  int prepare() {
    Atomics.INT.getAndAdd(segment, waitersOffset, 1);
    return (int) Atomics.INT.getVolatile(segment, sequenceOffset);
  }

  /** Sleeps until signalled after {@code key} was read, or for at most {@code nanos}. */
  void await(int key, long nanos) {
    waiter.await(segment, sequenceOffset, key, nanos);
  }

  /** Unregisters a waiter. */
  void cancel() {
    Atomics.INT.getAndAdd(segment, waitersOffset, -1);
  }
}
