package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A fixed-length array of {@code int}s in shared memory with atomic element operations: the
 * counterpart of Python's {@code multiprocessing.Array('i', n)}, without a lock.
 *
 * {@snippet :
 * try (SharedMemory memory = SharedMemory.create(4L * 1_000)) {
 *   SharedIntArray histogram = memory.intArray(0, 1_000);
 *   pool.map(x -> histogram.getAndAdd(bucket(x), 1), inputs);  // from worker JVMs
 *   memory.unlink();
 * }
 * }
 *
 * <p><b>Thread safety and memory visibility.</b> Each element operation is atomic across
 * threads and processes, with the same ordering as the matching {@link SharedInt} method
 * (volatile unless named acquire/release). There is no atomicity across elements.
 *
 * <p>Serializes as a handle (segment name, offset, length); the deserialized view attaches the
 * segment and owns that mapping: {@link #close()} it when done.
 *
 * @since 0.1
 */
public final class SharedIntArray extends SegmentView implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The number of elements. */
  private final long length;

  SharedIntArray(SharedMemory memory, long offset, long length, boolean ownsMapping) {
    super(memory, offset, Math.multiplyExact(SharedLongArray.checkLength(length), Integer.BYTES), Integer.BYTES, ownsMapping);
    this.length = length;
  }


  private long at(long index) {
    return Objects.checkIndex(index, length) * Integer.BYTES;
  }

  /** {@return the number of elements} */
  public long length() {
    return length;
  }

  /**
   * Reads an element with a volatile read.
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @return element {@code index}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public int get(long index) {
    return (int) Atomics.INT.getVolatile(segment, at(index));
  }

  /**
   * Sets element {@code index} with a volatile write.
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public void set(long index, int value) {
    Atomics.INT.setVolatile(segment, at(index), value);
  }

  /**
   * Reads an element with an acquire read, paired with {@link #setRelease}.
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @return element {@code index}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public int getAcquire(long index) {
    return (int) Atomics.INT.getAcquire(segment, at(index));
  }

  /**
   * Sets element {@code index} with a release write, paired with {@link #getAcquire}.
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public void setRelease(long index, int value) {
    Atomics.INT.setRelease(segment, at(index), value);
  }

  /**
   * Atomically sets element {@code index} to {@code value} if it is {@code expected}
   * (volatile semantics).
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param expected the value the caller believes is current
   * @param value the new value
   * @return whether element {@code index} was {@code expected} and is now {@code value}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public boolean compareAndSet(long index, int expected, int value) {
    return Atomics.INT.compareAndSet(segment, at(index), expected, value);
  }

  /**
   * Atomically adds {@code delta} to element {@code index} (volatile semantics, wrapping on
   * overflow).
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param delta the amount to add, may be negative
   * @return element {@code index} before adding {@code delta}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public int getAndAdd(long index, int delta) {
    return (int) Atomics.INT.getAndAdd(segment, at(index), delta);
  }

  @Override
  public String toString() {
    return "SharedIntArray[" + memory.name() + "@" + offset + ", length=" + length + "]";
  }

  /**
   * Replaces this view by a {@link ViewHandle} (segment name, offset, length), so that the
   * receiving JVM attaches to the same memory instead of copying it.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new ViewHandle(ViewHandle.Kind.INT_ARRAY, memory.name(), offset, length);
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
    throw new InvalidObjectException("SharedIntArray travels as a ViewHandle");
  }
}
