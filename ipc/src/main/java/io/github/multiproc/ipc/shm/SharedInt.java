package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * An {@code int} in shared memory that every process mapping the segment can read and update
 * atomically: the counterpart of Python's {@code multiprocessing.Value('i')}, lock-free.
 *
 * {@snippet :
 * try (SharedMemory memory = SharedMemory.create(64)) {
 *   SharedInt hits = memory.intAt(0);
 *   pool.map(url -> { hits.getAndAdd(1); return fetch(url); }, urls); // in worker JVMs
 *   int total = hits.get();
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
public final class SharedInt extends SegmentView implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  SharedInt(SharedMemory memory, long offset, boolean ownsMapping) {
    super(memory, offset, Integer.BYTES, Integer.BYTES, ownsMapping);
  }

  /** {@return the value (volatile read)} */
  public int get() {
    return (int) Atomics.INT.getVolatile(segment, 0L);
  }

  /**
   * Sets the value with a volatile write.
   *
   * @param value the new value
   */
  public void set(int value) {
    Atomics.INT.setVolatile(segment, 0L, value);
  }

  /** {@return the value (acquire read)} */
  public int getAcquire() {
    return (int) Atomics.INT.getAcquire(segment, 0L);
  }

  /**
   * Sets the value with a release write, paired with {@link #getAcquire()}.
   *
   * @param value the new value
   */
  public void setRelease(int value) {
    Atomics.INT.setRelease(segment, 0L, value);
  }

  /**
   * Atomically sets the value to {@code value} if it is {@code expected} (volatile semantics).
   *
   * @param expected the value the caller believes is current
   * @param value the new value
   * @return whether the value was {@code expected} and is now {@code value}
   */
  public boolean compareAndSet(int expected, int value) {
    return Atomics.INT.compareAndSet(segment, 0L, expected, value);
  }

  /**
   * Atomically adds {@code delta} to the value (volatile semantics, wrapping on overflow).
   *
   * @param delta the amount to add, may be negative
   * @return the value before adding {@code delta}
   */
  public int getAndAdd(int delta) {
    return (int) Atomics.INT.getAndAdd(segment, 0L, delta);
  }

  /**
   * Atomically adds {@code delta} to the value (volatile semantics, wrapping on overflow).
   *
   * @param delta the amount to add, may be negative
   * @return the value after adding {@code delta}
   */
  public int addAndGet(int delta) {
    return getAndAdd(delta) + delta;
  }

  /**
   * Atomically replaces the value (volatile semantics).
   *
   * @param value the new value
   * @return the value before setting {@code value}
   */
  public int getAndSet(int value) {
    return (int) Atomics.INT.getAndSet(segment, 0L, value);
  }

  @Override
  public String toString() {
    return "SharedInt[" + memory.name() + "@" + offset + "]=" + get();
  }

  /**
   * Replaces this view by a {@link ViewHandle} (segment name, offset, length), so that the
   * receiving JVM attaches to the same memory instead of copying it.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new ViewHandle(ViewHandle.Kind.INT, memory.name(), offset, 1);
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
    throw new InvalidObjectException("SharedInt travels as a ViewHandle");
  }
}
