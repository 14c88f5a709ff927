package io.github.multiproc.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one {@link Chunk}: for each item either a value or a failure, plus the time
 * the items took to run (used to size later chunks).
 *
 * <p>A failure is either what the task threw (any throwable, reported to the caller as the cause
 * of a {@link io.github.multiproc.TaskFailedException}) or, when the infrastructure failed, a
 * {@link io.github.multiproc.TaskFailedException} subclass the backend made (such as
 * {@link io.github.multiproc.WorkerDiedException}), which reaches the caller as it is.
 *
 * {@snippet :
 * ChunkResult<Integer> result = new ChunkResult<>(chunk.size());
 * for (int i = 0; i < chunk.size(); i++) {
 *   try { result.succeed(i, task.apply(chunk.items().get(i))); }
 *   catch (Exception e) { result.fail(i, e); }
 * }
 * }
 *
 * <p><b>Numeric values.</b> A backend that receives a run of {@code int}, {@code long} or
 * {@code double} results (such as the process pool, whose workers send them as raw big-endian
 * values) records them all at once with {@link #succeedInts}, {@link #succeedLongs} or
 * {@link #succeedDoubles} straight from the bytes they arrived in, or ints one by one with
 * {@link #succeedInt}, and they stay unboxed: {@link #value} boxes on demand, and
 * {@link #copyIntsTo}, {@link #copyLongsTo} and {@link #copyDoublesTo} hand them on as they are.
 * The first {@link #succeed} of any other value, or the first {@link #fail}, turns the whole
 * result into boxed values; so does nothing else.
 *
 * <pre>
 *  storage, one of:
 *    raw     byte[], from rawOffset: size values of rawKind, big-endian   (succeedInts,
 *            succeedLongs or succeedDoubles on a fresh result; borrowed, not copied)
 *              rawKind INT: int32; LONG: int64; DOUBLE: the raw bits of a float64
 *    ints    int[size]     the values recorded by succeedInt (value(i) = Integer.valueOf)
 *    values  Object[size]  any values (failed items hold null)
 *  failures  Throwable[size], made on the first failure
 * </pre>
 *
 * <p>The value of an item that was neither recorded nor failed is unspecified (null or 0): the
 * backend records every item before it hands the result over.
 *
 * <p><b>Thread safety.</b> Not thread-safe while it is filled. It is handed over by completing a
 * {@link java.util.concurrent.CompletableFuture}, which makes the filled state visible to the
 * reader; it must not be changed after that.
 *
 * @param <R> the result type
 * @since 0.1
 */
public final class ChunkResult<R> {

  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte INT = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;

  private final int size;
  private byte[] raw; // every value, big-endian from rawOffset: borrowed by succeedInts, succeedLongs, succeedDoubles
  private int rawOffset;
  private byte rawKind; // INT, LONG or DOUBLE while raw is set
  private int[] ints; // while every value recorded is an int; null once values is made
  private Object[] values; // made by the first value that is not an int, or the first failure
  private Throwable[] failures; // made on the first failure: most chunks have none
  private long executionNanos = -1;

  /**
   * Creates a result with room for {@code size} items, none set.
   *
   * @param size the chunk's size, at least 1
   */
  public ChunkResult(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1: size=" + size);
    }
    this.size = size;
  }

  /**
   * Records the value of item {@code i}.
   *
   * @param i the item's position in the chunk
   * @param value its result, possibly null
   * @return this
   */
  public ChunkResult<R> succeed(int i, Object value) {
    Objects.checkIndex(i, size);
    boxed()[i] = value;
    if (failures != null) {
      failures[i] = null;
    }
    return this;
  }

  /**
   * Records an {@code int} value of item {@code i}: the same as
   * {@code succeed(i, Integer.valueOf(value))}, kept unboxed while every value is an int.
   *
   * @param i the item's position in the chunk
   * @param value its result
   * @return this
   */
  public ChunkResult<R> succeedInt(int i, int value) {
    Objects.checkIndex(i, size);
    if (values == null && (raw == null || rawKind == INT)) {
      unboxed()[i] = value;
    } else {
      boxed()[i] = value;
      if (failures != null) {
        failures[i] = null;
      }
    }
    return this;
  }

  /**
   * Records every item's value as an {@code int}, read as {@code size()} big-endian 32-bit values
   * from {@code bigEndian} at {@code offset}. On a result nothing was recorded in yet, the bytes
   * are borrowed, not copied: the caller must not change them afterwards.
   *
   * @param bigEndian the values' bytes
   * @param offset where item 0's value starts
   * @return this
   * @throws IndexOutOfBoundsException if the bytes hold fewer than {@code size()} values from {@code offset}
   */
  public ChunkResult<R> succeedInts(byte[] bigEndian, int offset) {
    if (borrow(bigEndian, offset, INT)) {
      return this;
    }
    for (int i = 0; i < size; i++) {
      succeedInt(i, (int) INT_BE.get(bigEndian, offset + 4 * i));
    }
    return this;
  }

  /**
   * Records every item's value as a {@code long}, read as {@code size()} big-endian 64-bit values
   * from {@code bigEndian} at {@code offset}; borrowed as by {@link #succeedInts}.
   *
   * @param bigEndian the values' bytes
   * @param offset where item 0's value starts
   * @return this
   * @throws IndexOutOfBoundsException if the bytes hold fewer than {@code size()} values from {@code offset}
   * @since 0.1
   */
  public ChunkResult<R> succeedLongs(byte[] bigEndian, int offset) {
    if (!borrow(bigEndian, offset, LONG)) {
      for (int i = 0; i < size; i++) {
        succeed(i, (long) LONG_BE.get(bigEndian, offset + 8 * i));
      }
    }
    return this;
  }

  /**
   * Records every item's value as a {@code double}, read as {@code size()} big-endian 64-bit
   * patterns ({@link Double#longBitsToDouble}) from {@code bigEndian} at {@code offset}; borrowed
   * as by {@link #succeedInts}.
   *
   * @param bigEndian the values' bytes
   * @param offset where item 0's value starts
   * @return this
   * @throws IndexOutOfBoundsException if the bytes hold fewer than {@code size()} values from {@code offset}
   * @since 0.1
   */
  public ChunkResult<R> succeedDoubles(byte[] bigEndian, int offset) {
    if (!borrow(bigEndian, offset, DOUBLE)) {
      for (int i = 0; i < size; i++) {
        succeed(i, Double.longBitsToDouble((long) LONG_BE.get(bigEndian, offset + 8 * i)));
      }
    }
    return this;
  }

  /** Checks the bytes' range; on a result nothing was recorded in yet, borrows them and answers true. */
  private boolean borrow(byte[] bigEndian, int offset, byte kind) {
    long bytes = (long) width(kind) * size;
    Objects.checkFromIndexSize(offset, bytes > Integer.MAX_VALUE ? -1 : (int) bytes, bigEndian.length);
    if (raw != null || ints != null || values != null || failures != null) {
      return false;
    }
    raw = bigEndian;
    rawOffset = offset;
    rawKind = kind;
    return true;
  }

  /**
   * Records every item of {@code part} (values and failures) at {@code at}: a backend that
   * receives a chunk in several parts puts them together with it, ints staying ints.
   *
   * @param at where {@code part}'s first item goes
   * @param part the outcome of {@code part.size()} consecutive items
   * @return this
   */
  public ChunkResult<R> putAll(int at, ChunkResult<?> part) {
    Objects.checkFromIndexSize(at, part.size, size);
    if (part.isIntValued() && values == null && (raw == null || rawKind == INT)) {
      part.copyIntsTo(unboxed(), at);
      return this;
    }
    for (int i = 0; i < part.size; i++) {
      if (part.failed(i)) {
        fail(at + i, part.failure(i));
      } else {
        succeed(at + i, part.value(i));
      }
    }
    return this;
  }

  /**
   * Returns whether the values are held as ints: at least one was recorded, every one by
   * {@link #succeedInt} or {@link #succeedInts}, and no item failed. Then {@link #copyIntsTo}
   * may be used.
   *
   * @return whether the values are held as ints
   */
  public boolean isIntValued() {
    return values == null && (ints != null || raw != null && rawKind == INT);
  }

  /**
   * Returns whether the values are held as longs: recorded by {@link #succeedLongs}, and no item
   * failed or was recorded otherwise since. Then {@link #copyLongsTo} may be used.
   *
   * @return whether the values are held as longs
   * @since 0.1
   */
  public boolean isLongValued() {
    return values == null && raw != null && rawKind == LONG;
  }

  /**
   * Returns whether the values are held as doubles: recorded by {@link #succeedDoubles}, and no
   * item failed or was recorded otherwise since. Then {@link #copyDoublesTo} may be used.
   *
   * @return whether the values are held as doubles
   * @since 0.1
   */
  public boolean isDoubleValued() {
    return values == null && raw != null && rawKind == DOUBLE;
  }

  /**
   * Copies the values of an {@linkplain #isIntValued() int-valued} result.
   *
   * @param target where they go
   * @param at the position in {@code target} of item 0
   * @throws IllegalStateException if the result is not int-valued
   */
  public void copyIntsTo(int[] target, int at) {
    if (!isIntValued()) {
      throw new IllegalStateException("the result does not hold int values");
    }
    if (ints != null) {
      System.arraycopy(ints, 0, target, at, size);
    } else { // one bulk copy with a byte swap, not a loop over the items: fast even before the JIT
      rawBuffer().asIntBuffer().get(target, at, size);
    }
  }

  /**
   * Copies the values of a {@linkplain #isLongValued() long-valued} result.
   *
   * @param target where they go
   * @param at the position in {@code target} of item 0
   * @throws IllegalStateException if the result is not long-valued
   * @since 0.1
   */
  public void copyLongsTo(long[] target, int at) {
    if (!isLongValued()) {
      throw new IllegalStateException("the result does not hold long values");
    }
    rawBuffer().asLongBuffer().get(target, at, size);
  }

  /**
   * Copies the values of a {@linkplain #isDoubleValued() double-valued} result.
   *
   * @param target where they go
   * @param at the position in {@code target} of item 0
   * @throws IllegalStateException if the result is not double-valued
   * @since 0.1
   */
  public void copyDoublesTo(double[] target, int at) {
    if (!isDoubleValued()) {
      throw new IllegalStateException("the result does not hold double values");
    }
    rawBuffer().asDoubleBuffer().get(target, at, size);
  }

  private ByteBuffer rawBuffer() {
    return ByteBuffer.wrap(raw, rawOffset, width(rawKind) * size).order(ByteOrder.BIG_ENDIAN);
  }

  /** The bytes of one value of a raw kind. */
  private static int width(byte kind) {
    return kind == INT ? Integer.BYTES : Long.BYTES;
  }

  /**
   * Copies every item's value (boxed; null for a failed item).
   *
   * @param target where they go
   * @param at the position in {@code target} of item 0
   */
  public void copyValuesTo(Object[] target, int at) {
    Objects.checkFromIndexSize(at, size, target.length);
    if (values != null) {
      System.arraycopy(values, 0, target, at, size);
    } else if (ints != null || raw != null) {
      for (int i = 0; i < size; i++) {
        target[at + i] = unboxedAt(i);
      }
    } else {
      Arrays.fill(target, at, at + size, null);
    }
  }

  /** Item {@code i}'s value from the int array or the borrowed bytes, boxed as its kind. */
  private Object unboxedAt(int i) {
    if (ints != null) {
      return ints[i];
    }
    return switch (rawKind) {
      case INT -> Integer.valueOf((int) INT_BE.get(raw, rawOffset + 4 * i));
      case LONG -> Long.valueOf((long) LONG_BE.get(raw, rawOffset + 8 * i));
      default -> Double.valueOf(Double.longBitsToDouble((long) LONG_BE.get(raw, rawOffset + 8 * i)));
    };
  }

  /** The int storage, made (or taken from borrowed ints) on first use; values must be null, raw null or ints. */
  private int[] unboxed() {
    if (ints == null) {
      int[] unboxed = new int[size];
      if (raw != null) {
        copyIntsTo(unboxed, 0); // from the borrowed bytes, while ints is still null
        raw = null;
      }
      ints = unboxed;
    }
    return ints;
  }

  private Object[] boxed() {
    if (values == null) {
      Object[] boxed = new Object[size];
      if (ints != null || raw != null) {
        for (int i = 0; i < size; i++) {
          boxed[i] = unboxedAt(i);
        }
        ints = null;
        raw = null;
      }
      values = boxed;
    }
    return values;
  }

  /**
   * Records the failure of item {@code i}.
   *
   * @param i the item's position in the chunk
   * @param failure what the task threw, or a {@code TaskFailedException} subclass
   * @return this
   */
  public ChunkResult<R> fail(int i, Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    Objects.checkIndex(i, size);
    if (failures == null) {
      failures = new Throwable[size];
    }
    failures[i] = failure;
    boxed()[i] = null;
    return this;
  }

  /**
   * Records how long the chunk's items took to run, excluding transport.
   *
   * @param nanos the run time
   * @return this
   */
  public ChunkResult<R> executionNanos(long nanos) {
    this.executionNanos = nanos;
    return this;
  }

  /** {@return the run time reported by the backend, or -1 if it did not report one} */
  public long executionNanos() {
    return executionNanos;
  }

  /** {@return the number of items} */
  public int size() {
    return size;
  }

  /**
   * Returns the position of the first failed item: a constant-time answer for the usual chunk, in
   * which no item failed.
   *
   * @return the first failed item's position in the chunk, or -1 if none failed
   */
  public int firstFailure() {
    if (failures != null) {
      for (int i = 0; i < failures.length; i++) {
        if (failures[i] != null) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Returns whether item {@code i} failed.
   *
   * @param i the item's position in the chunk
   * @return whether it failed
   */
  public boolean failed(int i) {
    Objects.checkIndex(i, size);
    return failures != null && failures[i] != null;
  }

  /**
   * Returns item {@code i}'s failure.
   *
   * @param i the item's position
   * @return item {@code i}'s failure, or null if it succeeded
   */
  public Throwable failure(int i) {
    Objects.checkIndex(i, size);
    return failures == null ? null : failures[i];
  }

  /**
   * Returns item {@code i}'s value.
   *
   * @param i the item's position
   * @return item {@code i}'s value (null if it failed)
   */
  @SuppressWarnings("unchecked")
  public R value(int i) {
    Objects.checkIndex(i, size);
    if (values != null) {
      return (R) values[i];
    }
    return ints == null && raw == null ? null : (R) unboxedAt(i);
  }
}
