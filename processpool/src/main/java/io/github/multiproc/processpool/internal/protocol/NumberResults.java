package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.FastPathTags;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A RESULTS payload written in place while a batch runs, for a batch whose every value is an
 * {@code Integer}, or every one a {@code Long}, or every one a {@code Double}: the worker puts each
 * result straight into the frame's bytes, with no {@code Object[]} of values and no failure
 * array. The first value chooses the run's kind; a later value of another type is refused
 * ({@link #set} answers false) and the caller hands the batch to the general path. The bytes are
 * exactly those {@link ResultsCodec#encode} writes for the same values and no failure, so the
 * parent reads them as any other answer.
 *
 * <pre>
 *  0        8           12     13          17                        17 + w·n        21 + w·n
 *  +--------+-----------+------+-----------+-------------------------+---------------+
 *  | nanos  | count n   | kind | count n   | n values of w bytes     | failures = 0  |
 *  | int64  | int32     | u8   | int32     | (big-endian)            | int32         |
 *  +--------+-----------+------+-----------+-------------------------+---------------+
 *  kind INT: w = 4, int32; LONG: w = 8, int64; DOUBLE: w = 8, the raw bits of the double.
 *  nanos is written last, by {@link #finish}.
 * </pre>
 *
 * <p>Usage, in the worker:
 * <pre>{@code
 * NumberResults out = new NumberResults(n, maxResultBytes);
 * for (int i = 0; i < n; i++) {
 *   Object r = task.apply(input(i));
 *   if (!out.set(i, r)) {
 *     // another type, or the payload would be too large: the general path takes over from item i
 *   }
 * }
 * parent.results(batchId, out.finish(System.nanoTime() - start));
 * }</pre>
 *
 * <p>Not thread-safe: the thread that runs the batch owns it.
 */
public final class NumberResults {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int VALUES = ResultsCodec.VALUES_OFFSET + ItemsDescriptor.HEADER_LENGTH;

  private final int count;
  private final long maxBytes;
  private byte kind = FastPathTags.NULL; // NULL until the first value chooses INT, LONG or DOUBLE
  private byte[] payload;

  /**
   * Makes an empty payload of {@code n} values; its bytes are allocated by the first value.
   *
   * @param n the batch's items, at least 1
   * @param maxBytes the most bytes the payload may take; a first value whose run would need more
   *     is refused
   * @throws IllegalArgumentException if {@code n} is below 1
   */
  public NumberResults(int n, long maxBytes) {
    if (n < 1) {
      throw new IllegalArgumentException("a results payload holds at least one value: n=" + n);
    }
    this.count = n;
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16);
  }

  /**
   * {@return the size of the payload of {@code n} values of {@code width} bytes}
   *
   * @param n the values
   * @param width 4 for ints, 8 for longs and doubles
   */
  public static long bytes(int n, int width) {
    return VALUES + (long) width * n + 4;
  }

  /** @return the number of values */
  public int size() {
    return count;
  }

  /**
   * Puts the value of item {@code i}, if it is of the run's type. The first value (item 0) chooses
   * the type, and is refused if it is not an {@code Integer}, {@code Long} or {@code Double} or if
   * the run would pass the payload's limit.
   *
   * @param i the item, from 0; items are set in order
   * @param value its result
   * @return whether it was put; if not, nothing was written
   */
  public boolean set(int i, Object value) {
    switch (kind) {
      case FastPathTags.INT -> {
        if (value instanceof Integer v) {
          INT.set(payload, VALUES + 4 * i, (int) v);
          return true;
        }
        return false;
      }
      case FastPathTags.LONG -> {
        if (value instanceof Long v) {
          LONG.set(payload, VALUES + 8 * i, (long) v);
          return true;
        }
        return false;
      }
      case FastPathTags.DOUBLE -> {
        if (value instanceof Double v) {
          LONG.set(payload, VALUES + 8 * i, Double.doubleToRawLongBits(v));
          return true;
        }
        return false;
      }
      default -> {
        return start(value) && set(i, value);
      }
    }
  }

  /**
   * Puts an {@code int} value in a run whose kind is {@link #isInts() INT}: the int loop's setter,
   * with no test of the value's type.
   *
   * @param i the item, from 1 (item 0 chose the kind)
   * @param value its result
   */
  public void setInt(int i, int value) {
    INT.set(payload, VALUES + 4 * i, value);
  }

  /**
   * Puts a {@code long} value in a run whose kind is {@link #isLongs() LONG}: the loops' setter,
   * with no test of the value's type.
   *
   * @param i the item, from 1 (item 0 chose the kind)
   * @param value its result
   */
  public void setLong(int i, long value) {
    LONG.set(payload, VALUES + 8 * i, value);
  }

  /** {@return whether the first value chose a run of longs} */
  public boolean isLongs() {
    return kind == FastPathTags.LONG;
  }

  /** {@return whether the first value chose a run of ints} */
  public boolean isInts() {
    return kind == FastPathTags.INT;
  }

  /**
   * @param i an item that was set
   * @return its value, boxed as it was given
   */
  public Object get(int i) {
    return switch (kind) {
      case FastPathTags.INT -> Integer.valueOf((int) INT.get(payload, VALUES + 4 * i));
      case FastPathTags.LONG -> Long.valueOf((long) LONG.get(payload, VALUES + 8 * i));
      case FastPathTags.DOUBLE -> Double.valueOf(Double.longBitsToDouble((long) LONG.get(payload, VALUES + 8 * i)));
      default -> throw new IllegalStateException("no value was set");
    };
  }

  /**
   * Writes the batch's run time and returns the payload; nothing may be set after.
   *
   * @param executionNanos the batch's run time
   * @return the RESULTS payload
   * @throws IllegalStateException if no value was set
   */
  public byte[] finish(long executionNanos) {
    if (payload == null) {
      throw new IllegalStateException("no value was set");
    }
    LONG.set(payload, 0, executionNanos);
    return payload;
  }

  /** Chooses the run's kind from the first value and allocates the payload; false if it cannot. */
  private boolean start(Object first) {
    byte chosen;
    int width;
    if (first instanceof Integer) {
      chosen = FastPathTags.INT;
      width = 4;
    } else if (first instanceof Long) {
      chosen = FastPathTags.LONG;
      width = 8;
    } else if (first instanceof Double) {
      chosen = FastPathTags.DOUBLE;
      width = 8;
    } else {
      return false;
    }
    if (bytes(count, width) > maxBytes) {
      return false;
    }
    payload = new byte[(int) bytes(count, width)];
    INT.set(payload, Long.BYTES, count);
    payload[ResultsCodec.VALUES_OFFSET] = chosen;
    INT.set(payload, ResultsCodec.VALUES_OFFSET + ItemsDescriptor.COUNT_OFFSET, count);
    kind = chosen;
    return true;
  }
}
