package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A bounded multi-producer multi-consumer queue between processes: a ring of fixed-size slots in
 * one shared-memory segment, no relay through a parent process. The counterpart of Python's
 * {@code multiprocessing.Queue}.
 *
 * {@snippet :
 * SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8())
 *     .capacity(1024).maxMessageBytes(256).create();
 * try (queue; Pool pool = ProcessPool.create(4)) {   // close(): unmaps this handle
 *   pool.submit(() -> { queue.put("hello from " + ProcessHandle.current().pid()); return null; });
 *   String greeting = queue.take();      // blocks; an idle consumer uses no CPU
 *   queue.shutdown();                     // producers now fail; consumers drain, then see the end
 * } finally {
 *   queue.unlink();                       // remove the name (the creator does, once)
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
 * yielding the core; at most {@link SharedQueueBuilder#spin}, 50 µs by default, shortened while recent
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
 * <p><b>Close, shutdown, unlink</b> (the rule of every channel in this library, see
 * {@link io.github.multiproc.ipc}). {@link #close()} releases this handle only: it unmaps the
 * segment in this process, and every other handle, here or in other processes, keeps working.
 * {@link #shutdown()} ends the stream for every process: later {@code put}s and {@code offer}s
 * throw {@link QueueClosedException}; consumers take every message committed before it, then
 * {@code take}/{@code poll} throw {@link QueueClosedException} (end of stream).
 * {@link #unlink()} removes the name, for the creator to call once; handles already attached keep
 * working.
 *
 * <p><b>Serialization.</b> A queue serializes as a handle (its name, codec and spin time); the
 * deserialized queue, for example in a task running in a worker JVM, attaches the segment and
 * should be {@link #close() closed} when done.
 *
 * <p><b>Thread safety and memory consistency.</b> Thread-safe and lock-free apart from waiting.
 * Actions of a thread before it puts a message happen-before the actions of the thread (in any
 * process) that takes that message, after {@code take} returns.
 *
 * @param <T> the message type
 * @since 0.1
 */
public final class SharedQueue<T> implements AutoCloseable, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** Default spin before sleeping. */
  public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);
  /** Default number of slots. */
  public static final int DEFAULT_CAPACITY = 1024;
  /** Default largest encoded message. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1008;

  private final transient SharedMemory memory;
  private final transient QueueSlots slots;
  /** Turns messages into slot bytes and back; travels with the queue. */
  private final MessageCodec<T> codec;
  /** How long a blocked operation spins before it sleeps, in nanoseconds; travels too. */
  private final long spinNanos;

  private SharedQueue(SharedMemory memory, MessageCodec<T> codec, long spinNanos) {
    this.memory = memory;
    this.codec = codec;
    this.spinNanos = spinNanos;
    try {
      this.slots = new QueueSlots(memory, spinNanos);
    } catch (RuntimeException e) {
      memory.close();
      throw e;
    }
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
  public static <T> SharedQueueBuilder<T> builder(MessageCodec<T> codec) {
    return new SharedQueueBuilder<>(Objects.requireNonNull(codec, "codec"));
  }

  /** Wraps a segment that holds a queue (made by {@link SharedQueueBuilder#create()}). */
  static <T> SharedQueue<T> open(SharedMemory memory, MessageCodec<T> codec, long spinNanos) {
    return new SharedQueue<>(memory, codec, spinNanos);
  }

  /**
   * Attaches an existing queue by name.
   *
   * @param name the name the queue was created with
   * @param codec the codec the producers use
   * @param <T> the message type
   * @return the queue, mapped into this process; {@link #close()} it when done
   * @throws java.io.UncheckedIOException if no such segment exists
   * @throws IllegalArgumentException if the segment is not a queue
   */
  public static <T> SharedQueue<T> attach(String name, MessageCodec<T> codec) {
    return attach(name, codec, DEFAULT_SPIN);
  }

  /**
   * Attaches an existing queue by name, with this process's own spin time (see
   * {@link SharedQueueBuilder#spin}).
   *
   * @param name the name the queue was created with
   * @param codec the codec the producers use
   * @param spin how long blocked operations of this object spin before sleeping
   * @param <T> the message type
   * @return the queue, mapped into this process; {@link #close()} it when done
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
   * @throws QueueClosedException if the queue is shut down
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public void put(T message) throws InterruptedException {
    byte[] bytes = encode(message);
    slots.write(slots.awaitClaim(true, Long.MAX_VALUE), bytes);
  }

  /**
   * Enqueues a message if a slot is free now.
   *
   * @param message the message, not {@code null}
   * @return false if the queue is full
   * @throws QueueClosedException if the queue is shut down
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public boolean offer(T message) {
    byte[] bytes = encode(message);
    long position = slots.attempt(true);
    if (position < 0) {
      return false;
    }
    slots.write(position, bytes);
    return true;
  }

  /**
   * Enqueues a message, waiting at most {@code timeout} for a free slot.
   *
   * @param message the message, not {@code null}
   * @param timeout how long to wait at most for a free slot
   * @return false if no slot became free in time
   * @throws InterruptedException if interrupted while waiting (nothing was enqueued)
   * @throws QueueClosedException if the queue is shut down
   * @throws MessageTooLargeException if the encoded message exceeds {@link #maxMessageBytes()}
   */
  public boolean offer(T message, Duration timeout) throws InterruptedException {
    byte[] bytes = encode(message);
    long position = slots.awaitClaim(true, timeout.toNanos());
    if (position < 0) {
      return false;
    }
    slots.write(position, bytes);
    return true;
  }

  // ---------------------------------------------------------------------------------- consumers

  /**
   * Takes the next message, waiting while the queue is empty.
   *
   * @return the message
   * @throws InterruptedException if interrupted while waiting (nothing was taken)
   * @throws QueueClosedException if the queue is shut down and drained (end of stream)
   */
  public T take() throws InterruptedException {
    return codec.decode(slots.read(slots.awaitClaim(false, Long.MAX_VALUE)));
  }

  /**
   * Takes the next message if there is one now.
   *
   * @return the message, or {@code null} if the queue is empty
   * @throws QueueClosedException if the queue is shut down and drained
   */
  public T poll() {
    long position = slots.attempt(false);
    return position < 0 ? null : codec.decode(slots.read(position));
  }

  /**
   * Takes the next message, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most for a message
   * @return the message, or {@code null} if none arrived in time
   * @throws InterruptedException if interrupted while waiting (nothing was taken)
   * @throws QueueClosedException if the queue is shut down and drained
   */
  public T poll(Duration timeout) throws InterruptedException {
    long position = slots.awaitClaim(false, timeout.toNanos());
    return position < 0 ? null : codec.decode(slots.read(position));
  }

  // ---------------------------------------------------------------------------------- state

  /**
   * {@return the number of messages claimed by producers and not yet claimed by consumers (a
   * snapshot)}
   */
  public int size() {
    return slots.size();
  }

  /** {@return the number of slots} */
  public int capacity() {
    return slots.capacity();
  }

  /** {@return the largest encoded message a slot holds} */
  public int maxMessageBytes() {
    return slots.maxMessageBytes();
  }

  /** {@return the queue's segment name, for {@link #attach}} */
  public String name() {
    return memory.name();
  }

  /** {@return whether the queue was shut down (by any process)} */
  public boolean isShutdown() {
    return slots.isShutdown();
  }

  /**
   * Ends the stream for every process: producers fail from now on, consumers drain what was
   * committed and then see the end of the stream. Idempotent. Does not release this handle (see
   * {@link #close()}).
   */
  public void shutdown() {
    slots.shutdown();
  }

  /** {@return whether this handle was closed ({@link #close()})} */
  public boolean isClosed() {
    return memory.isClosed();
  }

  /**
   * Releases this handle: unmaps the queue from this process at once; any later use of this
   * object throws. Other handles, here and in other processes, keep working; to end the stream
   * for everybody, {@link #shutdown()} first. Idempotent.
   */
  @Override
  public void close() {
    memory.close();
  }

  /**
   * Releases this handle, as {@link #close()}.
   *
   * @deprecated the name of {@link #close()} before 0.2; use {@code close()}
   */
  @Deprecated(since = "0.2")
  public void detach() {
    close();
  }

  /** Removes the queue's name (processes that attached keep working). Idempotent. */
  public void unlink() {
    memory.unlink();
  }

  @Override
  public String toString() {
    return "SharedQueue[" + memory.name() + ", capacity=" + slots.capacity() + ", maxMessageBytes="
        + slots.maxMessageBytes() + "]";
  }

  private byte[] encode(T message) {
    Objects.requireNonNull(message, "message");
    byte[] bytes = codec.encode(message);
    if (bytes.length > slots.maxMessageBytes()) {
      throw new MessageTooLargeException(memory.name(), bytes.length, slots.maxMessageBytes());
    }
    return bytes;
  }

  long claimForWrite(boolean recover) { // package-private: tests simulate a producer dying here
    return slots.claimForWrite(recover);
  }

  long claimForRead(boolean recover) { // package-private: tests simulate a consumer dying here
    return slots.claimForRead(recover);
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
}
