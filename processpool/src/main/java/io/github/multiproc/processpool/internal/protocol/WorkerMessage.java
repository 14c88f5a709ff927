package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.frame.CorruptedFrameException;
import io.github.multiproc.ipc.frame.Frame;
import java.nio.charset.StandardCharsets;

/**
 * A message from a worker to its parent, one record per {@link MessageType}; {@link #toFrame()}
 * and {@link #fromFrame} are the only code that lays these payloads out (drawn in
 * {@link MessageType}).
 *
 * <p>Thread safety: immutable records; byte arrays are shared, not copied.
 */
public sealed interface WorkerMessage {

  /** {@return this message as a frame} */
  Frame toFrame();

  /**
   * Reads a message from a frame.
   *
   * @param f a frame of the worker protocol
   * @return the message
   * @throws CorruptedFrameException if the frame is not a worker's message or its header is malformed
   */
  static WorkerMessage fromFrame(Frame f) throws CorruptedFrameException {
    MessageType type = (MessageType) f.type();
    return switch (type) {
      case RESULTS -> Results.decode(f.correlationId(), f.payload());
      case DROPPED -> new Dropped(f.correlationId(), utf8(f.payload()));
      case STOPPING -> new Stopping(utf8(f.payload()));
      case PONG -> new Pong(f.correlationId());
      default -> throw new CorruptedFrameException("a parent does not accept " + type + " frames from a worker");
    };
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * A batch's answers: the RESULTS payload ({@link ResultsCodec}), whose header says how many
   * items it answers; the values are decoded later, off the reading thread.
   *
   * @param batchId the batch
   * @param count how many items it answers, from the payload's header (1 or more)
   * @param payload the whole payload
   */
  record Results(long batchId, int count, byte[] payload) implements WorkerMessage {
    /** Where the item count sits in the payload, after {@code int64 executionNanos}. */
    public static final int COUNT_OFFSET = 8;

    /**
     * The answers in a RESULTS payload that {@link ResultsCodec} built.
     *
     * @param batchId the batch
     * @param payload the payload
     * @return the message
     */
    public static Results of(long batchId, byte[] payload) {
      return new Results(batchId, PayloadReader.intAt(payload, COUNT_OFFSET), payload);
    }

    static Results decode(long batchId, byte[] p) throws CorruptedFrameException {
      if (p.length < COUNT_OFFSET + 4) {
        throw new CorruptedFrameException("malformed RESULTS for batch " + batchId + ": " + p.length
            + " bytes, fewer than its 12-byte header");
      }
      int count = PayloadReader.intAt(p, COUNT_OFFSET);
      // at least one item; no upper bound from the length: items that are all null take no byte
      // (the NULL kind of ItemsDescriptor). The parent checks the count against the batch it sent.
      if (count < 1) {
        throw new CorruptedFrameException("malformed RESULTS for batch " + batchId + ": item count " + count
            + " in a payload of " + p.length + " bytes");
      }
      return new Results(batchId, count, p);
    }

    @Override
    public Frame toFrame() {
      return new Frame(MessageType.RESULTS, batchId, payload);
    }
  }

  /**
   * @param batchId a batch that never ran here
   * @param reason why: cancelled, recalled, or the worker is stopping
   */
  record Dropped(long batchId, String reason) implements WorkerMessage {
    @Override
    public Frame toFrame() {
      return new Frame(MessageType.DROPPED, batchId, reason.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** @param reason why the worker is stopping; the parent sends it nothing more */
  record Stopping(String reason) implements WorkerMessage {
    @Override
    public Frame toFrame() {
      return new Frame(MessageType.STOPPING, 0, reason.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** @param sequence the PING's sequence */
  record Pong(long sequence) implements WorkerMessage {
    @Override
    public Frame toFrame() {
      return Frame.empty(MessageType.PONG, sequence);
    }
  }
}
