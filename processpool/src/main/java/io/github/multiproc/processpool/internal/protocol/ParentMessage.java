package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.CorruptedFrameException;
import io.github.multiproc.ipc.frame.Frame;
import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A message from the parent to a worker, one record per {@link MessageType}; {@link #toFrame()}
 * and {@link #fromFrame} are the only code that lays these payloads out (drawn in
 * {@link MessageType}).
 *
 * {@snippet :
 * Frame f = new ParentMessage.Cancel(batchId).toFrame();
 * ParentMessage m = ParentMessage.fromFrame(f);   // Cancel[batchId=...]
 * }
 *
 * <p>Thread safety: immutable records; byte arrays are shared, not copied, and must not change
 * once handed over.
 */
public sealed interface ParentMessage {

  /** {@return this message as a frame} */
  Frame toFrame();

  /**
   * Reads a message from a frame.
   *
   * @param f a frame of the worker protocol
   * @return the message
   * @throws CorruptedFrameException if the frame is not a parent's message or its payload is malformed
   */
  static ParentMessage fromFrame(Frame f) throws CorruptedFrameException {
    MessageType type = (MessageType) f.type();
    byte[] p = f.payload();
    long id = f.correlationId();
    return switch (type) {
      case DEFINE -> Define.decode(id, p);
      case INITIALIZE -> new Initialize(p);
      case INJECT_FAULTS -> new InjectFaults(p);
      case TASKS -> Tasks.decode(id, p);
      case CANCEL -> new Cancel(id);
      case RECALL -> new Recall(id);
      case RELEASE -> new Release(id);
      case PING -> new Ping(id);
      case SHUTDOWN -> new Shutdown();
      default -> throw new CorruptedFrameException("a worker does not accept " + type + " frames from its parent");
    };
  }

  /**
   * A call's task.
   *
   * @param callId the call
   * @param taskTimeoutNanos the per-item timeout, 0 for none
   * @param taskTimeoutGraceNanos how long a timed-out item may take to stop before the worker exits
   * @param task the task, encoded by the codec
   */
  record Define(long callId, long taskTimeoutNanos, long taskTimeoutGraceNanos, byte[] task) implements ParentMessage {
    @Override
    public Frame toFrame() {
      PayloadWriter w = new PayloadWriter(16 + task.length);
      w.putLong(taskTimeoutNanos);
      w.putLong(taskTimeoutGraceNanos);
      w.putBytes(task);
      return new Frame(MessageType.DEFINE, callId, w.toByteArray());
    }

    /** {@return the payload size on the wire} */
    public int payloadBytes() {
      return 16 + task.length;
    }

    static Define decode(long callId, byte[] p) throws CorruptedFrameException {
      PayloadReader in = new PayloadReader(p);
      try {
        return new Define(callId, in.getLong(), in.getLong(), in.rest());
      } catch (IOException e) {
        throw new CorruptedFrameException("malformed DEFINE for call " + callId + ": " + e.getMessage());
      }
    }
  }

  /** @param initializer the pool's worker initializer, encoded by the codec */
  record Initialize(byte[] initializer) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return new Frame(MessageType.INITIALIZE, 0, initializer);
    }
  }

  /** @param injector a fault injector, encoded by the codec */
  record InjectFaults(byte[] injector) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return new Frame(MessageType.INJECT_FAULTS, 0, injector);
    }
  }

  /**
   * A batch of inputs: the whole TASKS payload {@code int64 callId | int64 firstIndex | items}.
   *
   * @param batchId the batch
   * @param callId the call whose task runs the items
   * @param firstIndex the input index of the first item ({@code -1} for a submitted job)
   * @param payload the whole payload; the items start at {@link #ITEMS_OFFSET}
   */
  record Tasks(long batchId, long callId, long firstIndex, byte[] payload) implements ParentMessage {
    /** Where the items start in the payload. */
    public static final int ITEMS_OFFSET = 16;

    /**
     * Encodes a TASKS payload.
     *
     * @param callId the call
     * @param firstIndex the input index of the first item
     * @param items the items
     * @param codec encodes items that have no fast path
     * @return the payload, still open: its {@link PayloadWriter#size()} tells whether it fits a frame
     * @throws io.github.multiproc.ipc.codec.CodecException if an item does not encode
     */
    public static PayloadWriter encode(long callId, long firstIndex, List<?> items, Codec codec) {
      return encode(callId, firstIndex, items, List.of(), codec);
    }

    /**
     * Encodes a TASKS payload some of whose items travel out of band.
     *
     * @param callId the call
     * @param firstIndex the input index of the first item
     * @param items the items, null at every entry's position
     * @param outOfBand the items written to shared memory, in position order ({@link SharedValues})
     * @param codec encodes items that have no fast path
     * @return the payload, still open
     * @throws io.github.multiproc.ipc.codec.CodecException if an item does not encode
     */
    public static PayloadWriter encode(long callId, long firstIndex, List<?> items,
        List<SharedValues.Entry> outOfBand, Codec codec) {
      return encode(callId, firstIndex, items, outOfBand, codec, size -> null);
    }

    /**
     * Encodes a TASKS payload, into an array of the expected size if {@code buffers} has one.
     *
     * @param callId the call
     * @param firstIndex the input index of the first item
     * @param items the items, null at every entry's position
     * @param outOfBand the items written to shared memory, in position order ({@link SharedValues})
     * @param codec encodes items that have no fast path
     * @param buffers given the expected size, an array of exactly that length to write over, or null
     * @return the payload, still open
     * @throws io.github.multiproc.ipc.codec.CodecException if an item does not encode
     */
    public static PayloadWriter encode(long callId, long firstIndex, List<?> items,
        List<SharedValues.Entry> outOfBand, Codec codec, IntFunction<byte[]> buffers) {
      PayloadWriter w = header(callId, firstIndex, items, buffers);
      ItemsEncoder.encode(items, outOfBand, codec, w, false);
      return w;
    }

    /** The call and first index, in a writer sized for the items (an array of {@code buffers}' if it has one). */
    private static PayloadWriter header(long callId, long firstIndex, List<?> items, IntFunction<byte[]> buffers) {
      int expected = ITEMS_OFFSET + ItemsEncoder.expectedBytes(items);
      byte[] into = buffers.apply(expected);
      PayloadWriter w = into != null ? new PayloadWriter(into) : new PayloadWriter(expected);
      w.putLong(callId);
      w.putLong(firstIndex);
      return w;
    }

    /**
     * Encodes a TASKS payload of numbers only ({@link ItemsEncoder#encodeFixedWidth}): nothing in
     * it can travel out of band, so the caller skips the search for large inputs.
     *
     * @param callId the call
     * @param firstIndex the input index of the first item
     * @param items the items
     * @param buffers as in {@link #encode(long, long, List, List, Codec, IntFunction)}
     * @return the payload, still open, or null if an item is not of the first one's numeric type
     */
    public static PayloadWriter encodeFixedWidth(long callId, long firstIndex, List<?> items,
        IntFunction<byte[]> buffers) {
      Object first = items.getFirst();
      if (!(first instanceof Integer || first instanceof Long || first instanceof Double)) {
        return null; // nothing allocated for the general path's inputs
      }
      PayloadWriter w = header(callId, firstIndex, items, buffers);
      return ItemsEncoder.encodeFixedWidth(items, w) ? w : null;
    }

    /**
     * A batch whose payload {@link #encode} built.
     *
     * @param batchId the batch
     * @param payload the payload
     * @return the message
     */
    public static Tasks of(long batchId, byte[] payload) {
      try {
        return decode(batchId, payload);
      } catch (CorruptedFrameException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    static Tasks decode(long batchId, byte[] p) throws CorruptedFrameException {
      if (p.length < ITEMS_OFFSET) {
        throw new CorruptedFrameException("malformed TASKS for batch " + batchId + ": " + p.length
            + " bytes, fewer than its 16-byte header");
      }
      return new Tasks(batchId, PayloadReader.longAt(p, 0), PayloadReader.longAt(p, 8), p);
    }

    @Override
    public Frame toFrame() {
      return new Frame(MessageType.TASKS, batchId, payload);
    }
  }

  /** @param batchId drop it if queued, interrupt it if running */
  record Cancel(long batchId) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.CANCEL, batchId);
    }
  }

  /** @param batchId drop it if it has not started; a running batch is left alone */
  record Recall(long batchId) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.RECALL, batchId);
    }
  }

  /** @param callId forget this call's task */
  record Release(long callId) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.RELEASE, callId);
    }
  }

  /** @param sequence echoed in the PONG */
  record Ping(long sequence) implements ParentMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.PING, sequence);
    }
  }

  /** Finish the batches held, then exit 0. */
  record Shutdown() implements ParentMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.SHUTDOWN, 0);
    }
  }
}
