package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.FailureCodec;
import io.github.multiproc.ipc.codec.ItemDecodeException;
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
 *  | executionNanos int64  | count int32 | values (an items block)    | failures int32   |
 *  +-----------------------+-------------+----------------------------+------------------+
 *  then per failure ({@link FailureCodec}):
 *  +-----------------+--------------------------------+--------------------------------+
 *  | position int32  | original: int32 len | bytes     | stand-in: int32 len | bytes      |
 *  +-----------------+--------------------------------+--------------------------------+
 *  and nothing after the last failure. Items blocks: {@link ItemsDescriptor}.
 * </pre>
 *
 * <p>A failure travels twice: the original throwable (length {@code -1} when it does not
 * encode) and a {@link io.github.multiproc.RemoteException} describing it, which the parent uses
 * when the original does not decode there (see {@link FailureCodec}). Values at failed positions
 * are null. A value that does not encode fails its item instead (in the worker).
 *
 * <p><b>Decoding in the parent.</b> Two kinds of trouble, kept apart:
 * <ul>
 *   <li>a <em>value</em> that does not decode (its class refused or missing, its bytes corrupt,
 *       its own {@code readObject} throwing anything, an {@code Error} included) fails that item
 *       with an {@link ItemDecodeException} naming its class and the cause; the other items
 *       decode;
 *   <li>a <em>structurally</em> corrupt payload (counts out of range or beyond what the bytes can
 *       hold, lengths past the end, unknown kinds, trailing bytes) is an {@link IOException}, and
 *       never another exception type: the caller treats it as a protocol error of the worker.
 * </ul>
 * Nothing is allocated in proportion to a count before the count is checked against the bytes
 * left (see {@link ItemsDecoder}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ResultsCodec {

  /** The most items {@link #decode(byte[], Codec)} accepts without a bound from the caller. */
  public static final int DEFAULT_MAX_COUNT = 1 << 12;

  /** Where the values' items block starts: after the execution time (int64) and the count (int32). */
  static final int VALUES_OFFSET = Long.BYTES + Integer.BYTES;

  /** The fixed part of a failure entry: position and two lengths. */
  private static final int FAILURE_HEADER_BYTES = 12;

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
    return encode(values, failures, executionNanos, codec, List.of());
  }

  /**
   * Encodes a chunk's outcomes (in the worker), some values out of band.
   *
   * @param values the values, null at failed positions and at every entry's position
   * @param failures the failures, null at successful positions
   * @param executionNanos the run time
   * @param codec the object codec
   * @param outOfBand the values already written to shared memory, in position order (see
   *     {@link SharedValues}); their items must not fail
   * @return the payload
   */
  public static byte[] encode(Object[] values, Throwable[] failures, long executionNanos, Codec codec,
      List<SharedValues.Entry> outOfBand) {
    int n = values.length;
    PayloadWriter out = header(n, executionNanos);
    try {
      ItemsEncoder.encode(Arrays.asList(values), outOfBand, codec, out, true);
    } catch (CodecException | StackOverflowError whole) {
      // find the culprits one by one; they fail, the rest travels
      out = header(n, executionNanos);
      for (int i = 0; i < n; i++) {
        if (failures[i] == null && values[i] != null) {
          try {
            codec.encode(values[i]);
          } catch (CodecException e) {
            failures[i] = new ResultNotSerializableException(values[i].getClass(), e);
            values[i] = null;
          } catch (StackOverflowError e) {
            failures[i] = new ResultNotSerializableException(values[i].getClass(),
                new CodecException("its object graph is too deep to serialize", e));
            values[i] = null;
          }
        }
      }
      ItemsEncoder.encode(Arrays.asList(values), outOfBand, codec, out, true);
    }
    List<Integer> failed = failedPositions(failures);
    out.putInt(failed.size());
    for (int i : failed) {
      FailureCodec.Encoded e = FailureCodec.encode(failures[i], codec);
      out.putInt(i);
      out.putSized(e.original());
      out.putSized(e.standIn());
    }
    return out.toByteArray();
  }

  /** Records decoded values and the items whose value did not decode (a loop of its own: compiled early and small). */
  private static void putDecoded(DecodedItems values, ChunkResult<?> target, int offset) {
    for (int i = 0; i < values.size(); i++) {
      ItemDecodeException bad = values.failure(i);
      if (bad == null) {
        target.succeed(offset + i, values.value(i));
      } else {
        target.fail(offset + i, new ItemDecodeException(i, bad.valueClassName(),
            "the task's result", bad.getCause() != null ? bad.getCause() : bad));
      }
    }
  }

  /** The positions that failed (a loop of its own: compiled early and small). */
  private static List<Integer> failedPositions(Throwable[] failures) {
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < failures.length; i++) {
      if (failures[i] != null) {
        failed.add(i);
      }
    }
    return failed;
  }

  private static PayloadWriter header(int n, long executionNanos) {
    PayloadWriter out = new PayloadWriter(64 + 8 * n);
    out.putLong(executionNanos);
    out.putInt(n);
    return out;
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
   * payload goes to position {@code offset + i}; an item whose value does not decode fails alone
   * (see the class comment). On an {@link IOException} some positions may be written; the caller
   * fails the whole run.
   *
   * @param payload the bytes
   * @param codec the object codec, with the parent's allow rule; pass
   *     {@code codec.allowingPackageOf(taskClass)} (or use the overload that takes the task class)
   *     so that the task's own result and exception classes decode
   * @param target the chunk's result
   * @param offset where the answered run starts in {@code target}
   * @param max how many items were sent in the run: the worker may answer fewer, never more
   * @return the count and execution time
   * @throws IOException if the payload is structurally malformed or answers more than
   *     {@code max} items; never another exception for any bytes
   */
  public static Decoded decodeInto(byte[] payload, Codec codec, ChunkResult<?> target, int offset, int max)
      throws IOException {
    return decodeInto(payload, codec, target, offset, max, null);
  }

  /**
   * As {@link #decodeInto(byte[], Codec, ChunkResult, int, int)}, accepting values out of band
   * from the one process {@code shared} reads for.
   *
   * @param payload the bytes
   * @param codec the object codec, with the parent's allow rule
   * @param target the chunk's result
   * @param offset where the answered run starts in {@code target}
   * @param max how many items were sent in the run
   * @param shared reads out-of-band values, or null to refuse them as malformed
   * @return the count and execution time
   * @throws IOException if the payload is structurally malformed
   */
  public static Decoded decodeInto(byte[] payload, Codec codec, ChunkResult<?> target, int offset, int max,
      SharedValueReader shared) throws IOException {
    try {
      return decodeChecked(payload, codec, target, offset, max, shared);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // a codec that breaks its contract on malformed bytes: still a malformed payload
      throw new IOException("RESULTS payload did not decode: " + e, e);
    }
  }

  /**
   * As {@link #decodeInto(byte[], Codec, ChunkResult, int, int)}, with the call's task class,
   * whose package the parent then allows ({@link Codec#allowingPackageOf}).
   *
   * @param payload the bytes
   * @param codec the pool's codec
   * @param taskClass the class of the call's task (or job)
   * @param target the chunk's result
   * @param offset where the answered run starts in {@code target}
   * @param max how many items were sent in the run
   * @return the count and execution time
   * @throws IOException if the payload is structurally malformed
   */
  public static Decoded decodeInto(byte[] payload, Codec codec, Class<?> taskClass, ChunkResult<?> target,
      int offset, int max) throws IOException {
    return decodeInto(payload, codec.allowingPackageOf(taskClass), target, offset, max);
  }

  private static Decoded decodeChecked(byte[] payload, Codec codec, ChunkResult<?> target, int offset, int max,
      SharedValueReader shared) throws IOException {
    PayloadReader in = new PayloadReader(payload);
    long nanos = in.getLong();
    int n = in.getInt();
    if (n < 1) {
      throw new IOException("a RESULTS frame holds at least one item: count=" + n);
    }
    if (n > max) {
      throw new IOException("the worker answered " + n + " item(s) for " + max + " sent");
    }
    if (shared == null && offset == 0 && ItemsDecoder.lendNumbers(in, n, target)) {
      // a run of ints, longs or doubles: the frame's bytes are the values (none boxed, no copy here)
    } else {
      DecodedItems values = shared == null ? ItemsDecoder.decodeEach(in, codec, n)
          : ItemsDecoder.decodeEach(in, codec, n, shared);
      if (values.size() != n) {
        throw new IOException("RESULTS count " + n + " does not match its values: " + values.size());
      }
      putDecoded(values, target, offset);
    }
    int failures = in.getInt();
    if (failures < 0 || failures > n || (long) failures * FAILURE_HEADER_BYTES > in.remaining()) {
      throw new IOException("failure count must be in [0, " + n + "] and fit the " + in.remaining()
          + " bytes left: failures=" + failures);
    }
    for (int k = 0; k < failures; k++) {
      int i = in.getInt();
      if (i < 0 || i >= n) {
        throw new IOException("failure position out of range: position=" + i + ", count=" + n);
      }
      byte[] original = in.getSized();
      byte[] standIn = in.getSized();
      target.fail(offset + i, FailureCodec.decode(original, standIn, codec));
    }
    if (in.remaining() != 0) {
      throw new IOException("RESULTS payload has " + in.remaining() + " byte(s) after its last failure");
    }
    return new Decoded(n, nanos);
  }

  /**
   * The checked out-of-band table of a RESULTS payload (to claim its segments as it arrives).
   *
   * @param payload the bytes
   * @param max how many items were sent
   * @param sender the worker that sent it
   * @return the entries; none if its values all travelled in the frame
   * @throws IOException if the header or the table is malformed
   */
  public static List<SharedValues.Entry> outOfBand(byte[] payload, int max, long sender) throws IOException {
    PayloadReader in = new PayloadReader(payload);
    in.getLong();
    in.getInt();
    return ItemsDecoder.sharedEntries(in, max, sender);
  }

  /**
   * Decodes a RESULTS payload of at most {@link #DEFAULT_MAX_COUNT} items into a result of its
   * own size (for a one-item job, such as {@code JvmProcess}'s).
   *
   * @param payload the bytes
   * @param codec the object codec
   * @param <R> the result type
   * @return the chunk's result
   * @throws IOException if the payload is malformed
   */
  public static <R> ChunkResult<R> decode(byte[] payload, Codec codec) throws IOException {
    return decode(payload, codec, DEFAULT_MAX_COUNT);
  }

  /**
   * Decodes a RESULTS payload of at most {@code max} items into a result of its own size.
   *
   * @param payload the bytes
   * @param codec the object codec
   * @param max how many items were sent: the count is checked against it before anything is
   *     allocated
   * @param <R> the result type
   * @return the chunk's result
   * @throws IOException if the payload is malformed or holds more than {@code max} items
   */
  public static <R> ChunkResult<R> decode(byte[] payload, Codec codec, int max) throws IOException {
    return decode(payload, codec, max, null);
  }

  /**
   * Decodes a RESULTS payload of at most {@code max} items into a result of its own size,
   * accepting values out of band from the one process {@code shared} reads for.
   *
   * @param payload the bytes
   * @param codec the object codec
   * @param max how many items were sent
   * @param shared reads out-of-band values, or null to refuse them as malformed
   * @param <R> the result type
   * @return the chunk's result
   * @throws IOException if the payload is malformed or holds more than {@code max} items
   */
  public static <R> ChunkResult<R> decode(byte[] payload, Codec codec, int max, SharedValueReader shared)
      throws IOException {
    PayloadReader in = new PayloadReader(payload);
    in.getLong();
    int n = in.getInt();
    if (n < 1 || n > max) {
      throw new IOException("a RESULTS frame holds between 1 and " + max + " items: count=" + n);
    }
    ChunkResult<R> result = new ChunkResult<>(n);
    return result.executionNanos(decodeInto(payload, codec, result, 0, n, shared).executionNanos());
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
