package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.RemoteException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RESULTS payload: one outcome per item of a chunk, and the worker-measured run time.
 *
 * <pre>
 *  +-----------------------+-------------+----------------------------+------------------+
 *  | executionNanos int64  | count int32 | values ({@link ItemsCodec}) | failures int32   |
 *  +-----------------------+-------------+----------------------------+------------------+
 *  then per failure:
 *  +-----------------+--------------------------------+--------------------------------+
 *  | position int32  | original: int32 len | bytes     | stand-in: int32 len | bytes      |
 *  +-----------------+--------------------------------+--------------------------------+
 * </pre>
 *
 * <p>A failure travels twice: the original throwable (length {@code -1} when it does not
 * encode) and a {@link RemoteException} describing it, which the parent decodes when the original
 * does not decode there (its class is missing, or its state does not deserialize). Values at
 * failed positions are null. A value that does not encode fails its item instead.
 *
 * <p>Stateless and thread-safe.
 */
public final class ResultsCodec {

  private ResultsCodec() {}

  /**
   * Encodes a chunk's outcomes (in the worker).
   *
   * @param values the values, null at failed positions
   * @param failures the failures, null at successful positions
   * @param executionNanos the run time
   * @param codec the object codec
   * @return the payload
   */
  public static byte[] encode(Object[] values, Throwable[] failures, long executionNanos, Codec codec) {
    int n = values.length;
    PayloadWriter out = new PayloadWriter(64 + 8 * n);
    out.putLong(executionNanos);
    out.putInt(n);
    int valuesAt = out.size();
    try {
      ItemsCodec.encode(Arrays.asList(values), codec, out);
    } catch (CodecException whole) {
      // find the culprits one by one; they fail, the rest travels
      out = new PayloadWriter(64 + 8 * n);
      out.putLong(executionNanos);
      out.putInt(n);
      valuesAt = out.size();
      for (int i = 0; i < n; i++) {
        if (failures[i] == null && values[i] != null) {
          try {
            codec.encode(values[i]);
          } catch (CodecException e) {
            failures[i] = new ResultNotSerializableException(values[i].getClass(), e);
            values[i] = null;
          }
        }
      }
      ItemsCodec.encode(Arrays.asList(values), codec, out);
    }
    assert valuesAt > 0;
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (failures[i] != null) {
        failed.add(i);
      }
    }
    out.putInt(failed.size());
    for (int i : failed) {
      out.putInt(i);
      out.putSized(encodeOrNull(failures[i], codec));
      out.putSized(codec.encode(RemoteException.describing(failures[i])));
    }
    return out.toByteArray();
  }

  private static byte[] encodeOrNull(Throwable t, Codec codec) {
    try {
      return codec.encode(t);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What {@link #decodeInto} read.
   *
   * @param count the items answered
   * @param executionNanos the worker's execution time for them
   */
  public record Decoded(int count, long executionNanos) {}

  /**
   * Decodes a RESULTS payload (in the parent) into a chunk's result: item {@code i} of the
   * payload goes to position {@code offset + i}. On an {@link IOException} some positions may be
   * written; the caller fails the whole run.
   *
   * @param payload the bytes
   * @param codec the object codec
   * @param target the chunk's result
   * @param offset where the answered run starts in {@code target}
   * @param max how many items were sent in the run: the worker may answer fewer, never more
   * @return the count and execution time
   * @throws IOException if the payload is malformed or answers more than {@code max} items
   */
  public static Decoded decodeInto(byte[] payload, Codec codec, ChunkResult<?> target, int offset, int max)
      throws IOException {
    PayloadReader in = new PayloadReader(payload);
    long nanos = in.getLong();
    int n = in.getInt();
    if (n < 1) {
      throw new IOException("a RESULTS frame holds at least one item: count=" + n);
    }
    if (n > max) {
      throw new IOException("the worker answered " + n + " item(s) for " + max + " sent");
    }
    Object[] values = ItemsCodec.decode(in, codec);
    if (values.length != n) {
      throw new IOException("RESULTS count " + n + " does not match its values: " + values.length);
    }
    for (int i = 0; i < n; i++) {
      target.succeed(offset + i, values[i]);
    }
    int failures = in.getInt();
    for (int k = 0; k < failures; k++) {
      int i = in.getInt();
      if (i < 0 || i >= n) {
        throw new IOException("failure position out of range: position=" + i + ", count=" + n);
      }
      byte[] original = in.getSized();
      byte[] standIn = in.getSized();
      target.fail(offset + i, decodeFailure(original, standIn, codec));
    }
    return new Decoded(n, nanos);
  }

  /**
   * Decodes a RESULTS payload into a result of its own size.
   *
   * @param payload the bytes
   * @param codec the object codec
   * @param <R> the result type
   * @return the chunk's result
   * @throws IOException if the payload is malformed
   */
  public static <R> ChunkResult<R> decode(byte[] payload, Codec codec) throws IOException {
    PayloadReader in = new PayloadReader(payload);
    in.getLong();
    int n = in.getInt();
    if (n < 1) {
      throw new IOException("a RESULTS frame holds at least one item: count=" + n);
    }
    ChunkResult<R> result = new ChunkResult<>(n);
    return result.executionNanos(decodeInto(payload, codec, result, 0, n).executionNanos());
  }

  private static Throwable decodeFailure(byte[] original, byte[] standIn, Codec codec) {
    if (original != null) {
      try {
        if (codec.decode(original) instanceof Throwable t) {
          return t;
        }
      } catch (RuntimeException e) {
        // the class is missing here or its state does not deserialize: use the stand-in
      }
    }
    try {
      return (Throwable) codec.decode(standIn);
    } catch (RuntimeException e) {
      return new RemoteException("unknown", "the worker's exception could not be decoded: " + e,
          new StackTraceElement[0], null);
    }
  }

  /** A task's result that the codec could not encode; names the class and the codec's reason. */
  static final class ResultNotSerializableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResultNotSerializableException(Class<?> type, CodecException cause) {
      super("the task's result (" + type.getName() + ") cannot be sent back to the parent: "
          + cause.getMessage(), cause);
    }
  }
}
