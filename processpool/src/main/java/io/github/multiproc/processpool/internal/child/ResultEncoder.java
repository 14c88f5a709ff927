package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import java.util.Collections;

/**
 * Encodes a batch's results so that they fit in one frame. A value whose size is known before
 * encoding (arrays of primitives, strings) and already over the limit fails its item at once,
 * without being serialized; a value that encodes over half the limit fails its item with a
 * message that says so; if the batch's values still do not fit together, they all fail (the
 * chunk size is too large for values this big).
 *
 * <p>Stateless and thread-safe.
 */
final class ResultEncoder {

  private ResultEncoder() {}

  /**
   * @param values the values (null where failed)
   * @param failures the failures (null where succeeded); both arrays may be changed
   * @param nanos the batch's run time
   * @param codec the codec
   * @param limit the largest payload a frame holds
   * @return the RESULTS payload, at most {@code limit} bytes
   */
  static byte[] encode(Object[] values, Throwable[] failures, long nanos, Codec codec, int limit) {
    for (int i = 0; i < values.length; i++) {
      long known = knownSize(values[i]);
      if (failures[i] == null && known > limit) {
        failures[i] = tooLarge(values[i], known, limit);
        values[i] = null;
      }
    }
    byte[] results = ResultsCodec.encode(values, failures, nanos, codec);
    if (results.length <= limit) {
      return results;
    }
    int total = results.length;
    for (int i = 0; i < values.length; i++) {
      if (failures[i] == null && values[i] != null) {
        PayloadWriter one = new PayloadWriter(64);
        ItemsCodec.encode(Collections.singletonList(values[i]), codec, one);
        if (one.size() > limit / 2) {
          failures[i] = tooLarge(values[i], one.size(), limit);
          values[i] = null;
        }
      }
    }
    results = ResultsCodec.encode(values, failures, nanos, codec);
    if (results.length <= limit) {
      return results;
    }
    for (int i = 0; i < values.length; i++) {
      if (failures[i] == null) {
        failures[i] = new ResultTooLargeException("the chunk's results encode to " + total + " bytes together, "
            + "over the protocol's frame limit of " + limit + " bytes: use a smaller chunkSize");
        values[i] = null;
      }
    }
    return ResultsCodec.encode(values, failures, nanos, codec);
  }

  private static ResultTooLargeException tooLarge(Object value, long bytes, int limit) {
    return new ResultTooLargeException("the task's result (" + value.getClass().getName() + ") encodes to "
        + (bytes >= 0 ? "at least " + bytes : "more than " + limit) + " bytes, over the protocol's frame limit of "
        + limit + " bytes: return less data, or pass it through a file or SharedMemory");
  }

  /** @return the least number of bytes the value encodes to, when known without encoding it; else 0 */
  static long knownSize(Object value) {
    return switch (value) {
      case byte[] a -> a.length;
      case int[] a -> 4L * a.length;
      case long[] a -> 8L * a.length;
      case double[] a -> 8L * a.length;
      case float[] a -> 4L * a.length;
      case short[] a -> 2L * a.length;
      case char[] a -> a.length;
      case String str -> str.length();
      case null, default -> 0;
    };
  }

  /** A task's result too large for one protocol frame. */
  static final class ResultTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResultTooLargeException(String message) {
      super(message);
    }
  }
}
