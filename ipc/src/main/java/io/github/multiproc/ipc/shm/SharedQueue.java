package io.github.multiproc.ipc.shm;

import static io.github.multiproc.ipc.shm.QueueDescriptor.EMPTY;
import static io.github.multiproc.ipc.shm.QueueDescriptor.FULL;
import static io.github.multiproc.ipc.shm.QueueDescriptor.READING;
import static io.github.multiproc.ipc.shm.QueueDescriptor.WRITING;
import static io.github.multiproc.ipc.shm.QueueDescriptor.distance;
import static io.github.multiproc.ipc.shm.QueueDescriptor.state;
import static io.github.multiproc.ipc.shm.QueueDescriptor.tag;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded multi-producer multi-consumer queue between processes: a ring of fixed-size slots in
 * one shared-memory segment, no relay through a parent process. The counterpart of Python's
 * {@code multiprocessing.Queue}.
 *
 * {@snippet :
 * SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8())
 *     .capacity(1024).maxMessageBytes(256).create();
 * try (Pool pool = ProcessPool.create(4)) {
 *   pool.submit(() -> { queue.put("hello from " + ProcessHandle.current().pid()); return null; });
 *   String greeting = queue.take();      // blocks; an idle consumer uses no CPU
 * } finally {
 *   queue.close();                        // producers now fail; consumers drain, then see the end
 *   queue.detach();                       // unmap in this process
 *   queue.unlink();                       // remove the name
 * }
 * }
 *
 * <p><b>Messages.</b> A message is encoded with the queue's {@link MessageCodec} and copied into
 * one slot; an encoded message longer than {@link #maxMessageBytes()} is rejected with
 * {@link MessageTooLargeException} before anything is claimed (messages are never chunked, so a
 * slot is the unit of loss and recovery). {@code null} is not a message.
 *
 * <p><b>Ordering.</b> FIFO per producer thread: the messages one thread puts are taken in the
 * order it put them. Messages of different producers interleave in the order they claimed slots.
 *
 * <p><b>Waiting.</b> Blocking operations spin for a short while (busy for a tenth of it, then
 * yielding the core; at most {@link Builder#spin}, 50 µs by default, shortened while recent
 * spins ended in sleep anyway, see {@code SpinBudget}) and then sleep on a futex in the shared segment (Linux; a short park loop elsewhere),
 * so an idle consumer uses no CPU and wakes within tens of microseconds of a {@code put}.
 * Interrupts are checked at least every 100 ms while blocked; an interrupted wait throws
 * {@link InterruptedException} and claims nothing.
 *
 * <p><b>Crashes.</b> A process killed in the middle of {@code put} or {@code take} never wedges
 * the queue: its half-written or half-read slot records its pid, and the first process to wait
 * on that slot for 10 ms checks that pid and, if it is dead, skips the slot. What can be lost is
 * exactly: the message a killed producer was writing (it never returned from {@code put}), and
 * the message a killed consumer was copying out (it never returned from {@code take}). No other
 * message is lost, duplicated or reordered. Pids are kept in 30 bits; a pid reused by a new
 * process before the recovery check would delay recovery until that process exits.
 *
 * <p><b>Close.</b> {@link #close()} closes the queue for every process: later {@code put}s and
 * {@code offer}s throw {@link QueueClosedException}; consumers take every message committed
 * before the close, then {@code take}/{@code poll} throw {@link QueueClosedException} (end of
 * stream). {@link #detach()} unmaps the segment in this process; {@link #unlink()} removes its
 * name.
 *
 * <p><b>Serialization.</b> A queue serializes as a handle (its name, codec and spin time); the
 * deserialized queue, for example in a task running in a worker JVM, attaches the segment and
 * should be {@link #detach() detached} when done.
 *
 * <p><b>Thread safety and memory consistency.</b> Thread-safe and lock-free apart from waiting.
 * Actions of a thread before it puts a message happen-before the actions of the thread (in any
 * process) that takes that message, after {@code take} returns.
 *
 * @param <T> the message type
 * @since 0.1
 */
public final class SharedQueue<T> implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final Logger log = LoggerFactory.getLogger(SharedQueue.class);

  /** Default spin before sleeping. */
  public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);
  /** Default number of slots. */
  public static final int DEFAULT_CAPACITY = 1024;
  /** Default largest encoded message. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1008;

  private static final long SLICE_NANOS = 100_000_000;
  private static final long OWNER_CHECK_AFTER_NANOS = 10_000_000;

  /** Claim results: nothing to claim (full for writers, empty for readers). */
  private static final long NONE = -1;
  /** Claim results: the slot is held mid-write or mid-read by another process. */
  private static final long BUSY = -2;

  private final transient SharedMemory memory;
  private final transient MemorySegment ring;
  /** Turns messages into slot bytes and back; travels with the queue. */
  private final MessageCodec<T> codec;
  /** How long a blocked operation spins before it sleeps, in nanoseconds; travels too. */
  private final long spinNanos;
  private final transient int capacity;
  private final transient long mask;
  private final transient int maxMessageBytes;
  private final transient long stride;
  private final transient long pid;
  private final transient EventCount notEmpty;
  private final transient EventCount notFull;
  private final transient SpinBudget putSpin;
  private final transient SpinBudget takeSpin;
  // one per direction, so a blocked producer and a blocked consumer never reset each other's record
  private final transient StuckSlot writerStuck = new StuckSlot();
  private final transient StuckSlot readerStuck = new StuckSlot();

  private SharedQueue(SharedMemory memory, MessageCodec<T> codec, long spinNanos) {
    this.memory = memory;
    this.ring = memory.segment();
    this.codec = codec;
    this.spinNanos = spinNanos;
    long magic = (long) Atomics.LONG.getAcquire(ring, QueueDescriptor.MAGIC_OFFSET);
    if (magic != QueueDescriptor.MAGIC) {
      memory.close();
      throw new IllegalArgumentException("segment " + memory.name() + " does not hold a SharedQueue: magic=0x"
          + Long.toHexString(magic));
    }
    this.capacity = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.CAPACITY_OFFSET);
    this.mask = capacity - 1;
    this.maxMessageBytes = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.MAX_MESSAGE_BYTES_OFFSET);
    this.stride = ring.get(ValueLayout.JAVA_INT, QueueDescriptor.STRIDE_OFFSET);
    this.pid = Pids.current();
    if (pid > Pids.MAX_SLOT_PID) {
      memory.close();
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

  /**
   * Starts building a new queue.
   *
   * @param codec turns messages into bytes and back; must be serializable to send the queue to
   *     other JVMs
   * @param <T> the message type
   * @return a builder with capacity {@value SharedQueue#DEFAULT_CAPACITY} and max message bytes
   *     {@value SharedQueue#DEFAULT_MAX_MESSAGE_BYTES}
   */
  public static <T> Builder<T> builder(MessageCodec<T> codec) {
    return new Builder<>(Objects.requireNonNull(codec, "codec"));
  }

  /**
   * Attaches an existing queue by name.
   *
   * @param name the name the queue was created with
   * @param codec the codec the producers use
   * @param <T> the message type
   * @return the queue, mapped into this process; {@link #detach()} it when done
   * @throws java.io.UncheckedIOException if no such segment exists
   * @throws IllegalArgumentException if the segment is not a queue
   */
  public static <T> SharedQueue<T> attach(String name, MessageCodec<T> codec) {
    return attach(name, codec, DEFAULT_SPIN);
  }

  /**
   * Attaches an existing queue by name, with this process's own spin time (see
   * {@link Builder#spin}).
   *
   * @param name the name the queue was created with
   * @param codec the codec the producers use
   * @param spin how long blocked operations of this object spin before sleeping
   * @param <T> the message type
   * @return the queue, mapped into this process; {@link #detach()} it when done
   */
  public static <T> SharedQueue<T> attach(String name, MessageCodec<T> codec, Duration spin) {
    if (spin.isNegative()) {
      throw new IllegalArgumentException("spin must not be negative: spin=" + spin);
    }
    return new SharedQueue<>(SharedMemory.attach(name), Objects.requireNonNull(codec, "codec"), spin.toNanos());
  }

  // ---------------------------------------------------------------------------------- producers

  /**
   * Enqueues a message, waiting while the queue is full.
   *
   * @param message the message, not {@code null}
   * @throws InterruptedException if interrupted while waiting (nothing was enqueued)
   * @throws QueueClosedException if the queue is closed
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public void put(T message) throws InterruptedException {
    byte[] bytes = encode(message);
    write(awaitClaim(true, Long.MAX_VALUE), bytes);
  }

  /**
   * Enqueues a message if a slot is free now.
   *
   * @param message the message, not {@code null}
   * @return false if the queue is full
   * @throws QueueClosedException if the queue is closed
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public boolean offer(T message) {
    byte[] bytes = encode(message);
    long position = claimForWrite(true);
    if (position < 0 && isClosed()) {
      throw closedForProducers();
    }
    if (position < 0) {
      return false;
    }
    write(position, bytes);
    return true;
  }

  /**
   * Enqueues a message, waiting at most {@code timeout} for a free slot.
   *
   * @param message the message, not {@code null}
   * @param timeout how long to wait at most for a free slot
   * @return false if no slot became free in time
   * @throws InterruptedException if interrupted while waiting (nothing was enqueued)
   * @throws QueueClosedException if the queue is closed
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public boolean offer(T message, Duration timeout) throws InterruptedException {
    byte[] bytes = encode(message);
    long position = awaitClaim(true, timeout.toNanos());
    if (position < 0) {
      return false;
    }
    write(position, bytes);
    return true;
  }

  // ---------------------------------------------------------------------------------- consumers

  /**
   * Takes the next message, waiting while the queue is empty.
   *
   * @return the message
   * @throws InterruptedException if interrupted while waiting (nothing was taken)
   * @throws QueueClosedException if the queue is closed and drained (end of stream)
   */
  public T take() throws InterruptedException {
    return codec.decode(read(awaitClaim(false, Long.MAX_VALUE)));
  }

  /**
   * Takes the next message if there is one now.
   *
   * @return the message, or {@code null} if the queue is empty
   * @throws QueueClosedException if the queue is closed and drained
   */
  public T poll() {
    long position = attempt(false);
    return position < 0 ? null : codec.decode(read(position));
  }

  /**
   * Takes the next message, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most for a message
   * @return the message, or {@code null} if none arrived in time
   * @throws InterruptedException if interrupted while waiting (nothing was taken)
   * @throws QueueClosedException if the queue is closed and drained
   */
  public T poll(Duration timeout) throws InterruptedException {
    long position = awaitClaim(false, timeout.toNanos());
    return position < 0 ? null : codec.decode(read(position));
  }

  // ---------------------------------------------------------------------------------- state

  /**
   * {@return the number of messages claimed by producers and not yet claimed by consumers (a
   * snapshot)}
   */
  public int size() {
    long head = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.HEAD_OFFSET);
    long tail = (long) Atomics.LONG.getVolatile(ring, QueueDescriptor.TAIL_OFFSET);
    return (int) Math.max(0, Math.min(capacity, tail - head));
  }

  /** {@return the number of slots} */
  public int capacity() {
    return capacity;
  }

  /** {@return the largest encoded message a slot holds} */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** {@return the queue's segment name, for {@link #attach}} */
  public String name() {
    return memory.name();
  }

  /** {@return whether the queue was closed (by any process)} */
  public boolean isClosed() {
    return (int) Atomics.INT.getVolatile(ring, QueueDescriptor.CLOSED_OFFSET) != 0;
  }

  /**
   * Closes the queue for every process: producers fail from now on, consumers drain what was
   * committed and then see the end of the stream. Idempotent. Does not unmap (see {@link #detach()}).
   */
  public void close() {
    Atomics.INT.setVolatile(ring, QueueDescriptor.CLOSED_OFFSET, 1);
    notEmpty.signalAlways();
    notFull.signalAlways();
  }

  /** Unmaps the queue from this process at once; any later use of this object throws. Idempotent. */
  public void detach() {
    memory.close();
  }

  /** Removes the queue's name (processes that attached keep working). Idempotent. */
  public void unlink() {
    memory.unlink();
  }

  @Override
  public String toString() {
    return "SharedQueue[" + memory.name() + ", capacity=" + capacity + ", maxMessageBytes=" + maxMessageBytes + "]";
  }

  // ---------------------------------------------------------------------------------- protocol

  private byte[] encode(T message) {
    Objects.requireNonNull(message, "message");
    byte[] bytes = codec.encode(message);
    if (bytes.length > maxMessageBytes) {
      throw new MessageTooLargeException(memory.name(), bytes.length, maxMessageBytes);
    }
    return bytes;
  }

  private long slotOffset(long position) {
    return QueueDescriptor.SLOTS_OFFSET + (position & mask) * stride;
  }

  /**
   * Claims a slot, spinning then sleeping. Returns the position, or a negative result: for
   * writers NONE/BUSY mean timed out; for readers too. A closed queue throws (see {@link #attempt}).
   */
  private long awaitClaim(boolean write, long timeoutNanos) throws InterruptedException {
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
        throw new InterruptedException("interrupted while waiting to " + (write ? "put into " : "take from ") + this);
      }
    }
  }

  /** One claim attempt; throws QueueClosedException when the queue is closed (and, for readers, drained). */
  private long attempt(boolean write) {
    boolean closed = isClosed(); // read before the slot state: see QueueDescriptor, Close
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
      log.warn("Skipped slot of position {} in queue {}: process {} died while {} it; that message is lost",
          position, memory.name(), owner, tag(observed) == WRITING ? "writing" : "reading");
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

  private void write(long position, byte[] bytes) {
    long slot = slotOffset(position);
    if (isClosed()) { // closed after the claim: give the slot back, as if consumed
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

  private byte[] read(long position) {
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
      throw new IllegalStateException("corrupted slot in queue " + memory.name() + ": length must be in [0, "
          + maxMessageBytes + "]: length=" + length + ", position=" + position);
    }
    return bytes;
  }

  private QueueClosedException closedForProducers() {
    return new QueueClosedException("queue " + memory.name() + " is closed: no more messages may be put");
  }

  private QueueClosedException endOfStream() {
    return new QueueClosedException("queue " + memory.name() + " is closed and drained: end of stream");
  }

  // ---------------------------------------------------------------------------------- serialization

  /**
   * Replaces this queue by a handle (segment name, codec, spin time), so that the receiving JVM
   * attaches the same segment instead of copying its contents.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new Handle<>(memory.name(), codec, spinNanos);
  }

  /**
   * Rejects a stream that holds this class's own form: a genuine one only ever holds a handle.
   *
   * @param in the stream being read
   * @throws InvalidObjectException always
   */
  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("SharedQueue travels as a Handle");
  }

  /**
   * The serialized form: name, codec and spin time; re-attached on arrival.
   *
   * @param name the queue's segment name
   * @param codec the queue's message codec
   * @param spinNanos how long a blocked operation spins before it sleeps, in nanoseconds
   * @param <T> the message type
   */
  private record Handle<T>(String name, MessageCodec<T> codec, long spinNanos) implements Serializable {
    @Serial
    private Object readResolve() {
      return new SharedQueue<>(SharedMemory.attach(name), codec, spinNanos);
    }
  }

  /**
   * Configures and creates a {@link SharedQueue}.
   *
   * {@snippet :
   * SharedQueue<String> jobs = SharedQueue.builder(MessageCodec.utf8())
   *     .name("jobs").capacity(256).maxMessageBytes(4096).create();
   * }
   *
   * <p>Not thread-safe; {@link #create()} reads its state once, so later changes do not affect
   * a queue already created.
   *
   * @param <T> the message type
   */
  public static final class Builder<T> {
    private final MessageCodec<T> codec;
    private String name;
    private int capacity = DEFAULT_CAPACITY;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private Duration spin = DEFAULT_SPIN;

    private Builder(MessageCodec<T> codec) {
      this.codec = codec;
    }

    /**
     * Names the queue's segment, so that other processes can {@link #attach} it by name.
     *
     * @param name segment name (default: a unique one)
     * @return this builder
     * @throws IllegalArgumentException if the name is not a valid segment name
     */
    public Builder<T> name(String name) {
      this.name = ShmDirectory.checkName(name);
      return this;
    }

    /**
     * Sets the number of slots, the most messages the queue holds at once.
     *
     * @param capacity number of slots, a power of 2 between 1 and 2^30
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is not such a power of 2
     */
    public Builder<T> capacity(int capacity) {
      if (capacity < 1 || capacity > QueueDescriptor.MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
        throw new IllegalArgumentException("capacity must be a power of 2 in [1, 2^30]: capacity=" + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets the size of a slot: the largest encoded message the queue accepts.
     *
     * @param maxMessageBytes the largest encoded message, between 0 and 2^30
     * @return this builder
     * @throws IllegalArgumentException if {@code maxMessageBytes} is out of that range
     */
    public Builder<T> maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 0 || maxMessageBytes > (1 << 30)) {
        throw new IllegalArgumentException("maxMessageBytes must be in [0, 2^30]: maxMessageBytes=" + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Sets how long a blocked operation spins before it sleeps (zero: sleep at once). Longer
     * spins cut latency while both sides are busy and burn CPU while they are not.
     *
     * @param spin the spin time, zero or positive
     * @return this builder
     * @throws IllegalArgumentException if {@code spin} is negative
     */
    public Builder<T> spin(Duration spin) {
      if (spin.isNegative()) {
        throw new IllegalArgumentException("spin must not be negative: spin=" + spin);
      }
      this.spin = spin;
      return this;
    }

    /**
     * Creates the segment and the queue in it.
     *
     * @return the queue; this process owns the segment (see {@link SegmentSweeper})
     * @throws java.io.UncheckedIOException if the name is taken or the file system refuses
     */
    public SharedQueue<T> create() {
      long bytes = QueueDescriptor.segmentBytes(capacity, maxMessageBytes);
      int stride = QueueDescriptor.stride(maxMessageBytes);
      String segmentName = name != null ? name : SharedMemory.uniqueName("queue");
      SharedMemory memory = SharedMemory.create(segmentName, bytes, ring -> {
        ring.set(ValueLayout.JAVA_INT, QueueDescriptor.CAPACITY_OFFSET, capacity);
        ring.set(ValueLayout.JAVA_INT, QueueDescriptor.MAX_MESSAGE_BYTES_OFFSET, maxMessageBytes);
        ring.set(ValueLayout.JAVA_INT, QueueDescriptor.STRIDE_OFFSET, stride);
        for (long i = 0; i < capacity; i++) {
          ring.set(ValueLayout.JAVA_LONG, QueueDescriptor.SLOTS_OFFSET + i * stride, state(EMPTY, 0, i));
        }
        Atomics.LONG.setRelease(ring, QueueDescriptor.MAGIC_OFFSET, QueueDescriptor.MAGIC);
      });
      return new SharedQueue<>(memory, codec, spin.toNanos());
    }
  }
}
