package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A fixed-length array of {@code double}s in shared memory with atomic element operations: the
 * counterpart of Python's {@code multiprocessing.Array('d', n)}, without a lock.
 *
 * {@snippet :
 * try (SharedMemory memory = SharedMemory.create(8L * n)) {
 *   SharedDoubleArray totals = memory.doubleArray(0, n);
 *   pool.map(row -> totals.getAndAdd(row.group(), row.amount()), rows);  // from worker JVMs
 *   memory.unlink();
 * }
 * }
 *
 * <p>Elements are stored as the raw IEEE 754 bits in native byte order.
 * {@link #compareAndSet} compares those bits (so {@code NaN} matches the same {@code NaN}, and
 * {@code 0.0} does not match {@code -0.0}); {@link #getAndAdd} is a compare-and-set loop.
 *
 * <p><b>Thread safety and memory visibility.</b> Each element operation is atomic across
 * threads and processes and volatile (sequentially consistent). There is no atomicity across
 * elements.
 *
 * <p>Serializes as a handle (segment name, offset, length); the deserialized view attaches the
 * segment and owns that mapping: {@link #close()} it when done.
 *
 * @since 0.1
 */
public final class SharedDoubleArray extends SegmentView implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The number of elements. */
  private final long length;

  SharedDoubleArray(SharedMemory memory, long offset, long length, boolean ownsMapping) {
    super(memory, offset, Math.multiplyExact(SharedLongArray.checkLength(length), Double.BYTES), Double.BYTES,
        ownsMapping);
    this.length = length;
  }

  private long at(long index) {
    return Objects.checkIndex(index, length) * Double.BYTES;
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
  public double get(long index) {
    return Double.longBitsToDouble((long) Atomics.LONG.getVolatile(segment, at(index)));
  }

  /**
   * Sets element {@code index} with a volatile write.
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param value the new value
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public void set(long index, double value) {
    Atomics.LONG.setVolatile(segment, at(index), Double.doubleToRawLongBits(value));
  }

  /**
   * Atomically sets element {@code index} to {@code value} if its bits are those of
   * {@code expected} (volatile semantics; see the class comment for {@code NaN} and
   * {@code -0.0}).
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param expected the value the caller believes is current
   * @param value the new value
   * @return whether element {@code index} had the bits of {@code expected} and now holds
   *     {@code value}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public boolean compareAndSet(long index, double expected, double value) {
    return Atomics.LONG.compareAndSet(segment, at(index),
        Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
  }

  /**
   * Atomically adds {@code delta} to element {@code index} by retrying a compare-and-set
   * until no other writer came in between (volatile semantics).
   *
   * @param index the element's position, from 0 to {@link #length()} - 1
   * @param delta the amount to add, may be negative
   * @return element {@code index} before adding {@code delta}
   * @throws IndexOutOfBoundsException if {@code index} is outside the array
   */
  public double getAndAdd(long index, double delta) {
    long at = at(index);
    while (true) {
      long bits = (long) Atomics.LONG.getVolatile(segment, at);
      double current = Double.longBitsToDouble(bits);
      if (Atomics.LONG.compareAndSet(segment, at, bits, Double.doubleToRawLongBits(current + delta))) {
        return current;
      }
    }
  }

  @Override
  public String toString() {
    return "SharedDoubleArray[" + memory.name() + "@" + offset + ", length=" + length + "]";
  }

  /**
   * Replaces this view by a {@link ViewHandle} (segment name, offset, length), so that the
   * receiving JVM attaches to the same memory instead of copying it.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new ViewHandle(ViewHandle.Kind.DOUBLE_ARRAY, memory.name(), offset, length);
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
    throw new InvalidObjectException("SharedDoubleArray travels as a ViewHandle");
  }
}
