package io.github.multiproc.ipc.shm;

import static io.github.multiproc.ipc.shm.QueueDescriptor.EMPTY;
import static io.github.multiproc.ipc.shm.QueueDescriptor.FULL;
import static io.github.multiproc.ipc.shm.QueueDescriptor.READING;
import static io.github.multiproc.ipc.shm.QueueDescriptor.WRITING;
import static io.github.multiproc.ipc.shm.QueueDescriptor.distance;
import static io.github.multiproc.ipc.shm.QueueDescriptor.state;
import static io.github.multiproc.ipc.shm.QueueDescriptor.tag;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot protocol of a {@link SharedQueue} (layout and protocol in {@link QueueDescriptor}):
 * claiming a slot to write or read, waiting for one (spin, then a futex), committing and copying
 * out, shutting the queue down for every process, and skipping a slot a dead process held.
 *
 * <p>Thread safety: thread-safe and lock-free apart from waiting; shared with other processes
 * through the segment. Memory ordering as stated in {@link QueueDescriptor}: a FULL state is
 * stored with release semantics after the bytes, and claimed with a CAS before they are read.
 */
final class QueueSlots {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(SharedQueue.class);
  }

  private static final long SLICE_NANOS = 100_000_000;
  private static final long OWNER_CHECK_AFTER_NANOS = 10_000_000;

  /** Claim results: nothing to claim (full for writers, empty for readers). */
  static final long NONE = -1;
  /** Claim results: the slot is held mid-write or mid-read by another process. */
  static final long BUSY = -2;

  private final String name;
  private final MemorySegment ring;
  private final int capacity;
  private final long mask;
  private final int maxMessageBytes;
  private final long stride;
  private final long pid;
  private final EventCount notEmpty;
  private final EventCount notFull;
  private final SpinBudget putSpin;
  private final SpinBudget takeSpin;
  // one per direction, so a blocked producer and a blocked consumer never reset each other's record
  private final StuckSlot writerStuck = new StuckSlot();
  private final StuckSlot readerStuck = new StuckSlot();

  /**
   * Reads the queue's header in a mapped segment.
   *
   * @throws IllegalArgumentException if the segment does not hold a queue
   * @throws UnsupportedOperationException if this process's pid does not fit the slot states
   */
  QueueSlots(SharedMemory memory, long spinNanos) {
    this.name = memory.name();
    this.ring = memory.segment();
    long magic = (long) Atomics.LONG.getAcquire(ring, QueueDescriptor.MAGIC_OFFSET);
    if (magic != QueueDescriptor.MAGIC) {
      throw new IllegalArgumentException("segment " + name + " does not hold a SharedQueue: magic=0x"
          + Long.toHexString(magic));
    }
    this.capacity = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.CAPACITY_OFFSET);
    this.mask = capacity - 1;
    this.maxMessageBytes = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.MAX_MESSAGE_BYTES_OFFSET);
    this.stride = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.STRIDE_OFFSET);
    this.pid = Pids.current();
    if (pid > Pids.MAX_SLOT_PID) {
      throw new UnsupportedOperationException("SharedQueue records pids in 30 bits; this process has pid " + pid);
    }
    WordWaiter waiter = WordWaiter.forPlatform();
    this.notEmpty = new EventCount(ring, QueueDescriptor.NOT_EMPTY_SEQUENCE_OFFSET,
        QueueDescriptor.NOT_EMPTY_WAITERS_OFFSET, waiter);
    this.notFull = new EventCount(ring, QueueDescriptor.NOT_FULL_SEQUENCE_OFFSET,
        QueueDescriptor.NOT_FULL_WAITERS_OFFSET, waiter);
    this.putSpin = new SpinBudget(spinNanos);
    this.takeSpin = new SpinBudget(spinNanos);
  }

  /** Writes a new queue's header and slots into a fresh segment, magic last. */
  static void format(MemorySegment ring, int capacity, int maxMessageBytes) {
    int stride = QueueDescriptor.stride(maxMessageBytes);
    ring.set(ValueLayout.JAVA_INT, QueueDescriptor.CAPACITY_OFFSET, capacity);
    ring.set(ValueLayout.JAVA_INT, QueueDescriptor.MAX_MESSAGE_BYTES_OFFSET, maxMessageBytes);
    ring.set(ValueLayout.JAVA_INT, QueueDescriptor.STRIDE_OFFSET, stride);
    for (long i = 0; i < capacity; i++) {
      ring.set(ValueLayout.JAVA_LONG, QueueDescriptor.SLOTS_OFFSET + i * stride, state(EMPTY, 0, i));
    }
    Atomics.LONG.setRelease(ring, QueueDescriptor.MAGIC_OFFSET, QueueDescriptor.MAGIC);
  }

  int capacity() {
    return capacity;
  }

  int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** {@return claimed by producers and not yet by consumers, clamped to [0, capacity]} */
  int size() {
    long head = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.HEAD_OFFSET);
    long tail = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.TAIL_OFFSET);
    return (int) Math.max(0, Math.min(capacity, tail - head));
  }

  /** {@return whether any process shut the queue down} */
  boolean isShutdown() {
    return (int) Atomics.INT.getVolatile(ring, QueueDescriptor.CLOSED_OFFSET) != 0;
  }

  /** Shuts the queue down for every process and wakes every waiter. */
  void shutdown() {
    Atomics.INT.setVolatile(ring, QueueDescriptor.CLOSED_OFFSET, 1);
    notEmpty.signalAlways();
    notFull.signalAlways();
  }

  private long slotOffset(long position) {
    return QueueDescriptor.SLOTS_OFFSET + (position & mask) * stride;
  }

  /**
   * Claims a slot, spinning then sleeping. Returns the position, or a negative result: for
   * writers NONE/BUSY mean timed out; for readers too. A closed queue throws (see {@link #attempt}).
   */
  long awaitClaim(boolean write, long timeoutNanos) throws InterruptedException {
    EventCount event = write ? notFull : notEmpty;
    SpinBudget budget = write ? putSpin : takeSpin;
    long start = System.nanoTime();
    long spin = -1; // decided on the first miss
    long blockedSince = 0;
    while (true) {
      long result = attempt(write);
      if (result >= 0) {
        if (spin > 0 && blockedSince == 0) {
          budget.succeeded();
        }
        return result;
      }
      long now = System.nanoTime();
      long remaining = timeoutNanos - (now - start);
      if (remaining <= 0) {
        return result;
      }
      if (spin < 0) {
        spin = budget.next();
      }
      if (now - start < spin) {
        // Busy for the first tenth, then yield: a peer sharing this core (a loaded machine)
        // gets to run, and a consumer that yields rather than sleeps spares the producer a
        // wake-up call per message.
        if (now - start < spin / 10) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
        continue;
      }
      if (blockedSince == 0) {
        blockedSince = now;
        if (spin > 0) {
          budget.failed();
        }
      }
      int key = event.prepare();
      try {
        result = attempt(write);
        if (result >= 0) {
          return result;
        }
        event.await(key, Math.min(remaining, result == BUSY ? OWNER_CHECK_AFTER_NANOS : SLICE_NANOS));
      } finally {
        event.cancel();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting to " + (write ? "put into " : "take from ")
            + "queue " + name);
      }
    }
  }

  /** One claim attempt; throws QueueClosedException when the queue is shut down (and, for readers, drained). */
  long attempt(boolean write) {
    boolean closed = isShutdown(); // read before the slot state: see QueueDescriptor, Close
    if (write) {
      if (closed) {
        throw closedForProducers();
      }
      return claimForWrite(true);
    }
    long result = claimForRead(true);
    if (result == NONE && closed) {
      throw endOfStream();
    }
    return result;
  }

  long claimForWrite(boolean recover) { // package-private: tests simulate a producer dying here
    while (true) {
      long p = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.TAIL_OFFSET);
      long slot = slotOffset(p);
      long s = (long) Atomics.LONG.getVolatile(ring, slot);
      int d = distance(s, p);
      long tag = tag(s);
      if (d == 0 && tag == EMPTY) {
        if (Atomics.LONG.compareAndSet(ring, slot, s, state(WRITING, pid, p))) {
          Atomics.LONG.compareAndSet(ring, QueueDescriptor.TAIL_OFFSET, p, p + 1);
          return p;
        }
      } else if (d == 0 || (d == capacity && tag == EMPTY)) {
        Atomics.LONG.compareAndSet(ring, QueueDescriptor.TAIL_OFFSET, p, p + 1); // claimed already: help
      } else if (d == -capacity) {
        if (tag == FULL) {
          return NONE;
        }
        if (!(recover && recover(slot, s, p - capacity, writerStuck))) {
          return BUSY; // the previous lap is still being written or read
        }
      } else {
        Thread.onSpinWait(); // tail moved on since we read it
      }
    }
  }

  long claimForRead(boolean recover) { // package-private: tests simulate a consumer dying here
    while (true) {
      long h = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.HEAD_OFFSET);
      long slot = slotOffset(h);
      long s = (long) Atomics.LONG.getVolatile(ring, slot);
      int d = distance(s, h);
      long tag = tag(s);
      if (d == 0 && tag == FULL) {
        if (Atomics.LONG.compareAndSet(ring, slot, s, state(READING, pid, h))) {
          Atomics.LONG.compareAndSet(ring, QueueDescriptor.HEAD_OFFSET, h, h + 1);
          return h;
        }
      } else if ((d == 0 && tag == READING) || (d == capacity && tag == EMPTY)) {
        Atomics.LONG.compareAndSet(ring, QueueDescriptor.HEAD_OFFSET, h, h + 1); // claimed already: help
      } else if (d == 0 && tag == EMPTY) {
        return NONE;
      } else if ((d == 0 && tag == WRITING) || (d == -capacity && tag == READING)) {
        if (!(recover && recover(slot, s, d == 0 ? h : h - capacity, readerStuck))) {
          return BUSY;
        }
      } else {
        Thread.onSpinWait(); // head moved on since we read it
      }
    }
  }

  /**
   * Skips a slot held by a dead process. Returns true if the slot is no longer in that state. The
   * owner is looked up ({@code /proc}) only once this queue handle has seen the slot stuck in the
   * same state for {@link #OWNER_CHECK_AFTER_NANOS}: a live owner finishes within microseconds, so
   * a claim that meets a busy slot (an {@code offer} or {@code poll} under contention) costs no
   * system call.
   */
  private boolean recover(long slot, long observed, long position, StuckSlot stuck) {
    long owner = QueueDescriptor.pid(observed);
    if (owner == pid || !stuck.ownerCheckDue(observed) || Pids.isAlive(owner)) {
      return false;
    }
    if (Atomics.LONG.compareAndSet(ring, slot, observed, state(EMPTY, 0, position + capacity))) {
      Log.LOG.warn("Skipped slot of position {} in queue {}: process {} died while {} it; that message is lost",
          position, name, owner, tag(observed) == WRITING ? "writing" : "reading");
      notEmpty.signalAlways();
      notFull.signalAlways();
    }
    return true;
  }

  /**
   * The busy slot state one direction of this handle last met, and since when. Plain fields, racy
   * on purpose: threads of the handle may overwrite each other's record, which only moves an
   * owner lookup earlier or later; {@code Pids.isAlive} is the real check. No allocation, so
   * meeting a busy slot under contention costs two field writes.
   */
  private static final class StuckSlot {
    private long state = QueueDescriptor.EMPTY; // never a stuck state: only WRITING and READING are
    private long since;

    /** Whether {@code observed} has been the stuck state long enough to look up its owner. */
    boolean ownerCheckDue(long observed) {
      long now = System.nanoTime();
      if (state != observed) {
        state = observed;
        since = now;
        return false;
      }
      return now - since >= OWNER_CHECK_AFTER_NANOS;
    }
  }

  void write(long position, byte[] bytes) {
    long slot = slotOffset(position);
    if (isShutdown()) { // shut down after the claim: give the slot back, as if consumed
      Atomics.LONG.setRelease(ring, slot, state(EMPTY, 0, position + capacity));
      notEmpty.signal();
      notFull.signal();
      throw closedForProducers();
    }
    ring.set(ValueLayout.JAVA_INT, slot + QueueDescriptor.SLOT_LENGTH_OFFSET, bytes.length);
    MemorySegment.copy(bytes, 0, ring, ValueLayout.JAVA_BYTE, slot + QueueDescriptor.SLOT_PAYLOAD_OFFSET, bytes.length);
    Atomics.LONG.setRelease(ring, slot, state(FULL, 0, position));
    notEmpty.signal();
  }

  byte[] read(long position) {
    long slot = slotOffset(position);
    int length = ring.get(ValueLayout.JAVA_INT, slot + QueueDescriptor.SLOT_LENGTH_OFFSET);
    byte[] bytes = null;
    if (length >= 0 && length <= maxMessageBytes) {
      bytes = new byte[length];
      MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, slot + QueueDescriptor.SLOT_PAYLOAD_OFFSET, bytes, 0, length);
    }
    Atomics.LONG.setRelease(ring, slot, state(EMPTY, 0, position + capacity));
    notFull.signal();
    if (bytes == null) {
      throw new IllegalStateException("corrupted slot in queue " + name + ": length must be in [0, "
          + maxMessageBytes + "]: length=" + length + ", position=" + position);
    }
    return bytes;
  }

  QueueClosedException closedForProducers() {
    return new QueueClosedException("queue " + name + " is shut down: no more messages may be put");
  }

  private QueueClosedException endOfStream() {
    return new QueueClosedException("queue " + name + " is shut down and drained: end of stream");
  }
}
