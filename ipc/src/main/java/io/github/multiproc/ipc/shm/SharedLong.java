package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * A {@code long} in shared memory that every process mapping the segment can read and update
 * atomically: the counterpart of Python's {@code multiprocessing.Value('q')}, lock-free.
 *
 * {@snippet :
 * try (SharedMemory memory = SharedMemory.create(64)) {
 *   SharedLong hits = memory.longAt(0);
 *   pool.map(url -> { hits.getAndAdd(1); return fetch(url); }, urls); // in worker JVMs
 *   long total = hits.get();
 *   memory.unlink();
 * }
 * }
 *
 * <p><b>Thread safety and memory visibility.</b> Every method is atomic across threads and
 * processes. {@link #get()}, {@link #set}, {@link #compareAndSet} and {@link #getAndAdd} are
 * volatile (sequentially consistent); {@link #getAcquire}/{@link #setRelease} are the cheaper
 * acquire/release pair: everything a process wrote before {@code setRelease} is visible to a
 * process after a {@code getAcquire} that reads the value written.
 *
 * <p>Serializes as a handle (segment name and offset); the deserialized view attaches the segment
 * and owns that mapping: {@link #close()} it when done.
 *
 * @since 0.1
 */
public final class SharedLong extends SegmentView implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  SharedLong(SharedMemory memory, long offset, boolean ownsMapping) {
    super(memory, offset, Long.BYTES, Long.BYTES, ownsMapping);
  }

  /** {@return the value (volatile read)} */
  public long get() {
    return (long) Atomics.LONG.getVolatile(segment, 0L);
  }

  /**
   * Sets the value with a volatile write.
   *
   * @param value the new value
   */
  public void set(long value) {
    Atomics.LONG.setVolatile(segment, 0L, value);
  }

  /** {@return the value (acquire read)} */
  public long getAcquire() {
    return (long) Atomics.LONG.getAcquire(segment, 0L);
  }

  /**
   * Sets the value with a release write, paired with {@link #getAcquire()}.
   *
   * @param value the new value
   */
  public void setRelease(long value) {
    Atomics.LONG.setRelease(segment, 0L, value);
  }

  /**
   * Atomically sets the value to {@code value} if it is {@code expected} (volatile semantics).
   *
   * @param expected the value the caller believes is current
   * @param value the new value
   * @return whether the value was {@code expected} and is now {@code value}
   */
  public boolean compareAndSet(long expected, long value) {
    return Atomics.LONG.compareAndSet(segment, 0L, expected, value);
  }

  /**
   * Atomically adds {@code delta} to the value (volatile semantics, wrapping on overflow).
   *
   * @param delta the amount to add, may be negative
   * @return the value before adding {@code delta}
   */
  public long getAndAdd(long delta) {
    return (long) Atomics.LONG.getAndAdd(segment, 0L, delta);
  }

  /**
   * Atomically adds {@code delta} to the value (volatile semantics, wrapping on overflow).
   *
   * @param delta the amount to add, may be negative
   * @return the value after adding {@code delta}
   */
  public long addAndGet(long delta) {
    return getAndAdd(delta) + delta;
  }

  /**
   * Atomically replaces the value (volatile semantics).
   *
   * @param value the new value
   * @return the value before setting {@code value}
   */
  public long getAndSet(long value) {
    return (long) Atomics.LONG.getAndSet(segment, 0L, value);
  }

  @Override
  public String toString() {
    return "SharedLong[" + memory.name() + "@" + offset + "]=" + get();
  }

  /**
   * Replaces this view by a {@link ViewHandle} (segment name, offset, length), so that the
   * receiving JVM attaches to the same memory instead of copying it.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new ViewHandle(ViewHandle.Kind.LONG, memory.name(), offset, 1);
  }

  /**
   * Rejects a stream that holds this class's own form: a genuine one only ever holds a
   * {@link ViewHandle}.
   *
   * @param in the stream being read
   * @throws InvalidObjectException always
   */
  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("SharedLong travels as a ViewHandle");
  }
}
