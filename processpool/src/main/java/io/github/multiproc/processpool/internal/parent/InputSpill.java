package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.processpool.internal.protocol.SharedValueWriter;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The inputs of one chunk that travel out of band ({@link SharedValues}): large arrays and
 * buffers, and values whose serialized form is large. Each is written to its own segment once,
 * however often its batch is encoded again (halved, or re-sent after a worker stopped), and
 * every segment is deleted when the chunk completes, however it completes (answered, failed,
 * cancelled), so a retry on another worker still finds them.
 *
 * <p>Thread safety: used by the one thread that encodes the chunk's batches at a time (the
 * caller's, or the event loop's for a re-sent rest), never by two at once.
 */
final class InputSpill {

  private final PoolRun<?> chunk;
  private final SharedValueWriter writer;
  private final Codec codec;
  private SharedValues.Entry[] byItem; // made on the first input out of band: most chunks have none
  private int armedFor; // segments created when the cleanup was last armed

  /**
   * @param chunk the chunk
   * @param threshold the least bytes that make an input travel out of band
   * @param codec serializes generic inputs to measure them
   */
  InputSpill(PoolRun<?> chunk, long threshold, Codec codec) {
    this.chunk = chunk;
    this.writer = new SharedValueWriter(threshold);
    this.codec = codec;
  }

  private void put(int i, SharedValues.Entry e) {
    if (byItem == null) {
      byItem = new SharedValues.Entry[chunk.chunk.size()];
    }
    byItem[i] = e;
  }

  private SharedValues.Entry at(int i) {
    return byItem == null ? null : byItem[i];
  }

  /**
   * Writes the inputs in {@code [from, to)} that are out of band by type and size alone.
   *
   * @return why each input that could not be written fails (null where it did not), or null if none failed
   */
  Throwable[] writeLarge(int from, int to) {
    Throwable[] failed = null;
    List<?> items = chunk.chunk.items();
    for (int i = from; i < to; i++) { // the hot loop: the type test only (the write is a call of its own)
      Object item = items.get(i);
      if (item != null && (item.getClass().isArray() || item instanceof java.nio.ByteBuffer)) {
        failed = writeIfLarge(i, item, failed);
      }
    }
    armCleanup();
    return failed;
  }

  /**
   * Writes input {@code i} out of band if it is large.
   *
   * @return {@code failed}, made if it was null and the input could not be written
   */
  private Throwable[] writeIfLarge(int i, Object item, Throwable[] failed) {
    if (at(i) != null || !writer.isLarge(item)) {
      return failed;
    }
    try {
      put(i, writer.write(i, item));
      return failed;
    } catch (UncheckedIOException e) {
      Throwable[] out = failed == null ? new Throwable[chunk.chunk.size()] : failed;
      out[i] = new IllegalStateException("input #" + chunk.chunk.indexOf(i) + " ("
          + item.getClass().getName() + ") could not be written to shared memory: " + e.getMessage(), e);
      return out;
    }
  }

  /**
   * Writes the serialized form of the generic inputs in {@code [from, to)} that reach the
   * threshold; called only when their run's payload did.
   *
   * @return whether any input was newly written
   * @throws CodecException if an input does not encode
   */
  boolean writeSerialized(int from, int to) {
    boolean any = false;
    List<?> items = chunk.chunk.items();
    for (int i = from; i < to; i++) {
      Object item = items.get(i);
      if (at(i) != null || !SharedValues.mayReach(item, writer.threshold())) {
        continue;
      }
      byte[] bytes = codec.encode(item);
      if (bytes.length >= writer.threshold()) {
        try {
          put(i, writer.writeSerialized(i, bytes));
        } catch (UncheckedIOException e) {
          throw new CodecException("input #" + chunk.chunk.indexOf(i) + " (" + item.getClass().getName()
              + ") could not be written to shared memory: " + e.getMessage(), e);
        }
        any = true;
      }
    }
    armCleanup();
    return any;
  }

  /** {@return the inputs of {@code [from, to)}, null where one travels out of band} */
  List<?> inline(int from, int to) {
    List<?> items = chunk.chunk.items().subList(from, to);
    if (byItem == null) {
      return items;
    }
    Object[] copy = null;
    for (int i = from; i < to; i++) {
      if (byItem[i] != null) {
        copy = copy == null ? items.toArray() : copy;
        copy[i - from] = null;
      }
    }
    return copy == null ? items : Arrays.asList(copy);
  }

  /** {@return the entries of {@code [from, to)}, positions counted from {@code from}} */
  List<SharedValues.Entry> entries(int from, int to) {
    List<SharedValues.Entry> out = List.of();
    for (int i = from; byItem != null && i < to; i++) {
      SharedValues.Entry e = byItem[i];
      if (e != null) {
        out = out.isEmpty() ? new ArrayList<>() : out;
        out.add(new SharedValues.Entry(i - from, e.type(), e.length(), e.name()));
      }
    }
    return out;
  }

  /** {@return the least bytes that make an input travel out of band} */
  long threshold() {
    return writer.threshold();
  }

  /** Deletes what was written so far once the chunk completes (at once if it has). */
  private void armCleanup() {
    int created = writer.created().size();
    if (created > armedFor) {
      armedFor = created;
      chunk.future.whenComplete((r, t) -> writer.deleteCreated());
    }
  }
}
