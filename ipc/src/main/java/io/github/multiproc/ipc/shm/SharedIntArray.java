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

  private final long length;

  SharedIntArray(SharedMemory memory, long offset, long length, boolean ownsMapping) {
    super(memory, offset, Math.multiplyExact(SharedLongArray.checkLength(length), Integer.BYTES), Integer.BYTES, ownsMapping);
    this.length = length;
  }


  private long at(long index) {
    return Objects.checkIndex(index, length) * Integer.BYTES;
  }

  /** @return the number of elements */
  public long length() {
    return length;
  }

  /** @return element {@code index} (volatile read) */
  public int get(long index) {
    return (int) Atomics.INT.getVolatile(segment, at(index));
  }

  /** Sets element {@code index} (volatile write). */
  public void set(long index, int value) {
    Atomics.INT.setVolatile(segment, at(index), value);
  }

  /** @return element {@code index} (acquire read) */
  public int getAcquire(long index) {
    return (int) Atomics.INT.getAcquire(segment, at(index));
  }

  /** Sets element {@code index} (release write). */
  public void setRelease(long index, int value) {
    Atomics.INT.setRelease(segment, at(index), value);
  }

  /** @return whether element {@code index} was {@code expected} and is now {@code value} */
  public boolean compareAndSet(long index, int expected, int value) {
    return Atomics.INT.compareAndSet(segment, at(index), expected, value);
  }

  /** @return element {@code index} before adding {@code delta} */
  public int getAndAdd(long index, int delta) {
    return (int) Atomics.INT.getAndAdd(segment, at(index), delta);
  }

  @Override
  public String toString() {
    return "SharedIntArray[" + memory.name() + "@" + offset + ", length=" + length + "]";
  }

  @Serial
  private Object writeReplace() {
    return new ViewHandle(ViewHandle.Kind.INT_ARRAY, memory.name(), offset, length);
  }

  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("SharedIntArray travels as a ViewHandle");
  }
}
