package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.FastPathTags;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A RESULTS payload written in place while a batch runs, for a batch whose every value is an
 * {@code int}: the worker puts each result straight into the frame's bytes, with no
 * {@code Integer}, no {@code Object[]} of values and no failure array. The bytes are exactly
 * those {@link ResultsCodec#encode} writes for the same {@code Integer}s and no failure, so the
 * parent reads them as any other answer.
 *
 * <pre>
 *  0        8           12     13          17                 17 + 4n        21 + 4n
 *  +--------+-----------+------+-----------+------------------+--------------+
 *  | nanos  | count n   | INT  | count n   | n x int32 values | failures = 0 |
 *  | int64  | int32     | u8   | int32     |  (big-endian)    | int32        |
 *  +--------+-----------+------+-----------+------------------+--------------+
 *  nanos is written last, by {@link #finish}.
 * </pre>
 *
 * <p>Usage, in the worker:
 * <pre>{@code
 * IntResults out = new IntResults(n);
 * for (int i = 0; i < n; i++) {
 *   out.set(i, squareOf(i));
 * }
 * parent.results(batchId, out.finish(System.nanoTime() - start));
 * }</pre>
 *
 * <p>Not thread-safe: the thread that runs the batch owns it.
 */
public final class IntResults {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int VALUES = ResultsCodec.VALUES_OFFSET + ItemsDescriptor.HEADER_LENGTH;

  private final byte[] payload;
  private final int count;

  /**
   * Makes the payload of {@code n} values, all 0 until set.
   *
   * @param n the batch's items, at least 1
   * @throws IllegalArgumentException if {@code n} is below 1 or the payload would pass 2 GiB
   */
  public IntResults(int n) {
    if (n < 1 || bytes(n) > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("an int results payload holds 1 to ~512M values: n=" + n);
    }
    this.count = n;
    this.payload = new byte[(int) bytes(n)];
    INT.set(payload, Long.BYTES, n);
    payload[ResultsCodec.VALUES_OFFSET] = FastPathTags.INT;
    INT.set(payload, ResultsCodec.VALUES_OFFSET + ItemsDescriptor.COUNT_OFFSET, n);
  }

  /**
   * {@return the size of the payload of {@code n} int values}
   *
   * @param n the values
   */
  public static long bytes(int n) {
    return VALUES + 4L * n + 4;
  }

  /** @return the number of values */
  public int size() {
    return count;
  }

  /**
   * @param i the item, from 0
   * @param value its value
   */
  public void set(int i, int value) {
    INT.set(payload, VALUES + 4 * i, value);
  }

  /**
   * @param i the item, from 0
   * @return the value set for it, or 0
   */
  public int get(int i) {
    return (int) INT.get(payload, VALUES + 4 * i);
  }

  /**
   * Writes the batch's run time and returns the payload; nothing may be set after.
   *
   * @param executionNanos the batch's run time
   * @return the RESULTS payload
   */
  public byte[] finish(long executionNanos) {
    LONG.set(payload, 0, executionNanos);
    return payload;
  }
}
