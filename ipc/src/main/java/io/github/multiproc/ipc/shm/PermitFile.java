package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mechanism under {@link ProcessSemaphore} and {@link ProcessLock}: {@code permits} one-byte
 * record locks on a segment file (see {@link PermitDescriptor}), plus an event count in the
 * segment so that a release wakes sleepers at once. Permits are held by this object; the kernel
 * frees them if the process dies.
 */
final class PermitFile implements AutoCloseable {

  private static final long SPIN_NANOS = 20_000;
  /** A holder's death is not signalled; sleepers re-check at least this often. */
  private static final long SLICE_NANOS = 5_000_000;

  private final SharedMemory memory;
  private final ByteRangeLocks locks;
  private final EventCount released;
  private final int permits;
  private final Deque<Integer> held = new ArrayDeque<>(); // guarded by this

  private PermitFile(SharedMemory memory) {
    this.memory = memory;
    MemorySegment data = memory.segment();
    long magic = (long) Atomics.LONG.getAcquire(data, PermitDescriptor.MAGIC_OFFSET);
    if (magic != PermitDescriptor.MAGIC) {
      memory.close();
      throw new IllegalArgumentException("segment " + memory.name()
          + " does not hold a ProcessLock or ProcessSemaphore: magic=0x" + Long.toHexString(magic));
    }
    this.permits = data.get(ValueLayout.JAVA_INT, PermitDescriptor.PERMITS_OFFSET);
    this.released = new EventCount(data, PermitDescriptor.RELEASED_SEQUENCE_OFFSET, PermitDescriptor.WAITERS_OFFSET,
        WordWaiter.forPlatform());
    try {
      this.locks = ByteRangeLocks.open(memory.path());
    } catch (IOException e) {
      memory.close();
      throw new UncheckedIOException("cannot open lock file " + memory.path(), e);
    }
  }

  static PermitFile create(String name, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1: permits=" + permits);
    }
    return new PermitFile(SharedMemory.create(name, PermitDescriptor.BYTES, data -> {
      data.set(ValueLayout.JAVA_INT, PermitDescriptor.PERMITS_OFFSET, permits);
      Atomics.LONG.setRelease(data, PermitDescriptor.MAGIC_OFFSET, PermitDescriptor.MAGIC);
    }));
  }

  static PermitFile attach(String name) {
    return new PermitFile(SharedMemory.attach(name));
  }

  String name() {
    return memory.name();
  }

  int permits() {
    return permits;
  }

  synchronized int heldHere() {
    return held.size();
  }

  /** One non-blocking attempt over every permit, starting at a random one. */
  synchronized boolean tryAcquire() {
    int start = ThreadLocalRandom.current().nextInt(permits);
    for (int k = 0; k < permits; k++) {
      int index = (start + k) % permits;
      if (!held.contains(index) && locks.tryLock(index)) {
        held.push(index);
        return true;
      }
    }
    return false;
  }

  /**
   * Acquires a permit, spinning briefly, then sleeping until a release or the end of a slice.
   *
   * @return false on timeout
   */
  boolean acquire(long timeoutNanos, boolean interruptible) throws InterruptedException {
    long start = System.nanoTime();
    boolean interrupted = false;
    try {
      while (true) {
        if (tryAcquire()) {
          return true;
        }
        long now = System.nanoTime();
        long remaining = timeoutNanos - (now - start);
        if (remaining <= 0) {
          return false;
        }
        if (now - start < SPIN_NANOS) {
          if (now - start < SPIN_NANOS / 10) {
            Thread.onSpinWait();
          } else {
            Thread.yield(); // let a holder that shares our core run
          }
          continue;
        }
        int key = released.prepare();
        try {
          if (tryAcquire()) {
            return true;
          }
          released.await(key, Math.min(remaining, SLICE_NANOS));
        } finally {
          released.cancel();
        }
        if (Thread.interrupted()) {
          if (interruptible) {
            throw new InterruptedException("interrupted while waiting for " + memory.name());
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // keep the interrupt for the caller
      }
    }
  }

  /** Releases one permit this object holds. */
  void release() {
    synchronized (this) {
      Integer index = held.poll();
      if (index == null) {
        throw new IllegalStateException("release() without a matching acquire on this instance of "
            + memory.name() + ": permits are held by the object that acquired them");
      }
      locks.unlock(index);
    }
    released.signal();
  }

  @Override
  public synchronized void close() {
    boolean hadPermits = !held.isEmpty();
    held.clear();
    locks.close(); // the kernel drops every permit we held
    if (hadPermits) {
      released.signalAlways();
    }
    memory.close();
  }

  void unlink() {
    memory.unlink();
  }
}
