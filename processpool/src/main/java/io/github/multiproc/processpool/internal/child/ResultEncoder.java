package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.protocol.ItemsEncoder;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueWriter;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
    return encode(values, failures, nanos, codec, limit, null);
  }

  /**
   * As {@link #encode(Object[], Throwable[], long, Codec, int)}, first moving the large values
   * out of band ({@link SharedValues}): arrays and buffers of at least the writer's threshold,
   * then, if the payload still reaches it, generic values whose serialized form does. A value
   * that cannot be written to shared memory fails its item.
   *
   * @param values the values (null where failed); changed
   * @param failures the failures (null where succeeded); changed
   * @param nanos the batch's run time
   * @param codec the codec
   * @param limit the largest payload a frame holds
   * @param shared writes the out-of-band values, or null to send every value in the frame
   * @return the RESULTS payload, at most {@code limit} bytes
   */
  static byte[] encode(Object[] values, Throwable[] failures, long nanos, Codec codec, int limit,
      SharedValueWriter shared) {
    SharedValues.Entry[] outOfBand = NONE; // made when a value may go out of band: most batches have none
    List<SharedValues.Entry> entries = List.of();
    if (shared != null && hasArrayOrBuffer(values)) {
      outOfBand = new SharedValues.Entry[values.length];
      if (spill(values, failures, shared, codec, outOfBand, false)) {
        entries = present(outOfBand);
      }
    }
    failOversized(values, failures, limit);
    byte[] results = ResultsCodec.encode(values, failures, nanos, codec, entries);
    if (shared != null && results.length >= shared.threshold()) {
      outOfBand = outOfBand.length == 0 ? new SharedValues.Entry[values.length] : outOfBand;
      if (spill(values, failures, shared, codec, outOfBand, true)) {
        entries = present(outOfBand);
        results = ResultsCodec.encode(values, failures, nanos, codec, entries);
      }
    }
    if (results.length <= limit) {
      return results;
    }
    int total = results.length;
    for (int i = 0; i < values.length; i++) {
      if (failures[i] == null && values[i] != null) {
        PayloadWriter one = new PayloadWriter(64);
        ItemsEncoder.encode(Collections.singletonList(values[i]), codec, one);
        if (one.size() > limit / 2) {
          failures[i] = tooLarge(values[i], one.size(), limit);
          values[i] = null;
        }
      }
    }
    results = ResultsCodec.encode(values, failures, nanos, codec, entries);
    if (results.length <= limit) {
      return results;
    }
    for (int i = 0; i < values.length; i++) {
      if (failures[i] == null && (outOfBand.length == 0 || outOfBand[i] == null)) {
        failures[i] = new ResultTooLargeException("the chunk's results encode to " + total + " bytes together, "
            + "over the protocol's frame limit of " + limit + " bytes: use a smaller chunkSize");
        values[i] = null;
      }
    }
    return ResultsCodec.encode(values, failures, nanos, codec, entries);
  }

  /**
   * Writes values out of band: large arrays and buffers, or ({@code serialized}) generic values
   * whose codec bytes reach the threshold.
   *
   * @return whether any value was written
   */
  private static boolean spill(Object[] values, Throwable[] failures, SharedValueWriter shared, Codec codec,
      SharedValues.Entry[] outOfBand, boolean serialized) {
    boolean any = false;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (failures[i] != null || v == null || outOfBand[i] != null) {
        continue;
      }
      try {
        if (!serialized && shared.isLarge(v)) {
          outOfBand[i] = shared.write(i, v);
        } else if (serialized && SharedValues.mayReach(v, shared.threshold())) {
          byte[] bytes;
          try {
            bytes = codec.encode(v);
          } catch (RuntimeException | StackOverflowError e) {
            continue; // the frame's encoding reports it
          }
          if (bytes.length < shared.threshold()) {
            continue;
          }
          outOfBand[i] = shared.writeSerialized(i, bytes);
        } else {
          continue;
        }
        values[i] = null;
        any = true;
      } catch (UncheckedIOException e) {
        failures[i] = new ResultTooLargeException("the task's result (" + v.getClass().getName()
            + ") could not be written to shared memory: " + e.getMessage());
        values[i] = null;
      }
    }
    return any;
  }

  private static final SharedValues.Entry[] NONE = new SharedValues.Entry[0];

  /** Fails each value whose size alone is over the limit (a loop of its own: compiled early and small). */
  private static void failOversized(Object[] values, Throwable[] failures, int limit) {
    for (int i = 0; i < values.length; i++) {
      long known = knownSize(values[i]);
      if (failures[i] == null && known > limit) {
        failures[i] = tooLarge(values[i], known, limit);
        values[i] = null;
      }
    }
  }

  private static boolean hasArrayOrBuffer(Object[] values) {
    for (Object v : values) {
      if (v != null && (v.getClass().isArray() || v instanceof java.nio.ByteBuffer)) {
        return true;
      }
    }
    return false;
  }

  private static List<SharedValues.Entry> present(SharedValues.Entry[] outOfBand) {
    List<SharedValues.Entry> out = new ArrayList<>();
    for (SharedValues.Entry e : outOfBand) {
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static ResultTooLargeException tooLarge(Object value, long bytes, int limit) {
    return new ResultTooLargeException("the task's result (" + value.getClass().getName() + ") encodes to "
        + (bytes >= 0 ? "at least " + bytes : "more than " + limit) + " bytes, over the protocol's frame limit of "
        + limit + " bytes: return less data, or pass it through a file or SharedMemory");
  }

  /** @return the least number of bytes the value encodes to, when known without encoding it; else 0 */
  static long knownSize(Object value) { // instanceof, not a type switch: runs on a cold worker's first answer
    if (value instanceof String str) {
      return str.length();
    }
    int type = SharedValues.rawType(value); // arrays: their raw bytes; a buffer does not serialize at all
    return type != 0 && type != SharedValues.BYTE_BUFFER ? SharedValues.rawLength(value) : 0;
  }


  /** A task's result too large for one protocol frame. */
  static final class ResultTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResultTooLargeException(String message) {
      super(message);
    }
  }
}
