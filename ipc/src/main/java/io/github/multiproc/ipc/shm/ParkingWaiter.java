package io.github.multiproc.ipc.shm;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link WordWaiter} for systems without a usable futex: re-reads the word with parks that grow
 * from 20 µs to 1 ms, so a waiter costs little CPU and notices a change within about a
 * millisecond. {@link #wakeAll} has nothing to do: waiters poll.
 */
final class ParkingWaiter implements WordWaiter {

  static final ParkingWaiter INSTANCE = new ParkingWaiter();

  private static final long MIN_PARK_NANOS = 20_000;
  private static final long MAX_PARK_NANOS = 1_000_000;

  private ParkingWaiter() {}

  @Override
  public void await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    long park = MIN_PARK_NANOS;
    while ((int) Atomics.INT.getVolatile(segment, offset) == expected && !Thread.currentThread().isInterrupted()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(park, remaining));
      park = Math.min(park * 2, MAX_PARK_NANOS);
    }
  }

  @Override
  public void wakeAll(MemorySegment segment, long offset) {
    // Waiters poll the word.
  }
}
