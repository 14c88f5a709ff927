package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Turns a chunk's inputs into {@code TASKS} batches, on the submitting thread: inputs that do
 * not encode fail alone (each with the codec's exception naming the class and field path), a run
 * too large for one frame is halved, and a single input too large for a frame fails with a
 * message that says so. A chunk whose inputs all encode and fit is encoded once, as one batch.
 *
 * <p>Thread safety: stateless apart from the codec, which is thread-safe.
 */
final class BatchEncoder {

  private final Codec codec;
  private final LongSupplier ids;
  private final long largePayloadThreshold;
  private final IntFunction<byte[]> buffers;

  /**
   * @param codec the codec
   * @param ids new batch ids
   * @param largePayloadThreshold the least bytes that make an input travel through shared memory
   *     ({@link InputSpill}); {@code Long.MAX_VALUE}: only {@code ByteBuffer}s do
   * @param recycler the payloads of answered batches to encode into, or null to allocate each
   */
  BatchEncoder(Codec codec, LongSupplier ids, long largePayloadThreshold, TasksRecycler recycler) {
    this.codec = codec;
    this.ids = ids;
    this.largePayloadThreshold = largePayloadThreshold;
    this.buffers = recycler == null ? size -> null : recycler::take;
  }

  /**
   * Encodes items {@code [from, chunk size)}: the batches to send, in order; the items that
   * cannot be sent are failed on the chunk already.
   *
   * @param chunk the chunk
   * @param from the first item to encode
   * @return the batches, possibly none
   */
  List<Batch> encode(PoolRun<?> chunk, int from) {
    return encode(chunk, from, chunk.chunk.size());
  }

  /**
   * Encodes items {@code [from, to)}, as {@link #encode(PoolRun, int)} does.
   *
   * @param chunk the chunk
   * @param from the first item to encode
   * @param to after the last
   * @return the batches, possibly none
   */
  List<Batch> encode(PoolRun<?> chunk, int from, int to) {
    Batch numbers = numbers(chunk, from, to);
    if (numbers != null) {
      return List.of(numbers);
    }
    List<Batch> batches = new ArrayList<>(1);
    int n = to;
    InputSpill spill = new InputSpill(chunk, largePayloadThreshold, codec);
    Throwable[] unsendable = spill.writeLarge(from, to);
    boolean searched = false; // whether the inputs were encoded one by one to find those that do not encode
    int at = from;
    while (at < n) {
      if (unsendable != null && unsendable[at] != null) {
        Throwable t = unsendable[at];
        chunk.fail(at, 1, i -> t);
        at++;
        continue;
      }
      int end = sendableRunEnd(unsendable, at, n);
      while (true) {
        PayloadWriter out;
        try {
          out = encodeRun(chunk, at, end, spill);
        } catch (CodecException | StackOverflowError e) {
          if (!searched) {
            searched = true;
            unsendable = unsendable(chunk, from, n, spill, unsendable); // which inputs? those fail alone, the others run
            break;
          }
          Throwable t = e instanceof StackOverflowError so ? tooDeep(chunk, at, so) : e;
          chunk.fail(at, end - at, i -> t);
          at = end;
          break;
        }
        if (out.size() <= Protocol.MAX_PAYLOAD) {
          batches.add(new Batch(ids.getAsLong(), chunk, at, end - at, out.finish()));
          at = end;
          break;
        }
        if (end - at == 1) {
          int bytes = out.size();
          long index = chunk.chunk.indexOf(at);
          chunk.fail(at, 1, i -> new IllegalArgumentException("input #" + index + " encodes to " + bytes
              + " bytes, over the protocol's frame limit of " + Protocol.MAX_PAYLOAD
              + " bytes: pass large data through a file or SharedMemory instead"));
          at = end;
          break;
        }
        end = at + (end - at) / 2; // too large for one frame: send fewer items at a time
      }
    }
    return batches;
  }

  /**
   * The common case first: a run of ints, longs or doubles that fits in one frame is encoded in
   * one pass, without the search for large inputs ({@link InputSpill}), which numbers never are;
   * in a fresh JVM that search over 100,000 inputs cost the caller ~20 ms in the interpreter.
   *
   * @return the one batch, or null for the general path
   */
  private Batch numbers(PoolRun<?> chunk, int from, int to) {
    if (to <= from) {
      return null;
    }
    PayloadWriter out = ParentMessage.Tasks.encodeFixedWidth(chunk.call.id(), chunk.chunk.indexOf(from),
        chunk.chunk.items().subList(from, to), buffers);
    if (out == null || out.size() > Protocol.MAX_PAYLOAD) {
      return null;
    }
    return new Batch(ids.getAsLong(), chunk, from, to - from, out.finish());
  }

  /** {@return the end of the run of sendable inputs that starts at {@code at}: {@code n} if none is unsendable} */
  private static int sendableRunEnd(Throwable[] unsendable, int at, int n) {
    if (unsendable == null) {
      return n;
    }
    int end = at + 1;
    while (end < n && unsendable[end] == null) {
      end++;
    }
    return end;
  }

  /** Encodes a run; if it reaches the threshold, its large generic inputs go out of band first. */
  private PayloadWriter encodeRun(PoolRun<?> chunk, int from, int to, InputSpill spill) {
    PayloadWriter out = ParentMessage.Tasks.encode(chunk.call.id(), chunk.chunk.indexOf(from),
        spill.inline(from, to), spill.entries(from, to), codec, buffers);
    if (out.size() >= spill.threshold() && spill.writeSerialized(from, to)) {
      out = ParentMessage.Tasks.encode(chunk.call.id(), chunk.chunk.indexOf(from),
          spill.inline(from, to), spill.entries(from, to), codec);
    }
    return out;
  }

  /** Finds the inputs that do not encode, one by one: only once a run of inputs failed to encode. */
  private Throwable[] unsendable(PoolRun<?> chunk, int from, int to, InputSpill spill, Throwable[] known) {
    Throwable[] bad = known != null ? known : new Throwable[chunk.chunk.size()];
    for (int i = from; i < to; i++) {
      if (bad[i] != null) {
        continue;
      }
      try {
        encodeRun(chunk, i, i + 1, spill);
      } catch (CodecException e) {
        bad[i] = e;
      } catch (StackOverflowError e) {
        bad[i] = tooDeep(chunk, i, e);
      }
    }
    return bad;
  }

  private static CodecException tooDeep(PoolRun<?> chunk, int i, StackOverflowError e) {
    Object item = chunk.chunk.items().get(i);
    return new CodecException("input #" + chunk.chunk.indexOf(i) + " ("
        + (item == null ? "null" : item.getClass().getName()) + ") is an object graph too deep to serialize on "
        + "this thread's stack: flatten it (e.g. a list instead of linked nodes)", e);
  }

}
