package io.github.multiproc.ipc.shm;

import java.time.Duration;

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
 * @since 0.1
 */
public final class SharedQueueBuilder<T> {
  private final MessageCodec<T> codec;
  private String name;
  private int capacity = SharedQueue.DEFAULT_CAPACITY;
  private int maxMessageBytes = SharedQueue.DEFAULT_MAX_MESSAGE_BYTES;
  private Duration spin = SharedQueue.DEFAULT_SPIN;

  SharedQueueBuilder(MessageCodec<T> codec) {
    this.codec = codec;
  }

  /**
   * Names the queue's segment, so that other processes can {@link SharedQueue#attach} it by name.
   *
   * @param name segment name (default: a unique one)
   * @return this builder
   * @throws IllegalArgumentException if the name is not a valid segment name
   */
  public SharedQueueBuilder<T> name(String name) {
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
  public SharedQueueBuilder<T> capacity(int capacity) {
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
  public SharedQueueBuilder<T> maxMessageBytes(int maxMessageBytes) {
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
  public SharedQueueBuilder<T> spin(Duration spin) {
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
    String segmentName = name != null ? name : SharedMemory.uniqueName("queue");
    SharedMemory memory = SharedMemory.create(segmentName, bytes,
        ring -> QueueSlots.format(ring, capacity, maxMessageBytes));
    return SharedQueue.open(memory, codec, spin.toNanos());
  }
}
