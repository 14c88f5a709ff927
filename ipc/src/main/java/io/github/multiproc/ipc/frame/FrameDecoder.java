package io.github.multiproc.ipc.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reassembles frames from chunks of bytes cut at arbitrary points, as non-blocking channels
 * deliver them: the incremental counterpart of {@link FrameReader}.
 *
 * {@snippet :
 * FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME_BYTES, dialect);
 * ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
 * while (channel.read(buf) >= 0) {
 *   buf.flip();
 *   decoder.decode(buf, this::handle); // consumes all of buf, keeps a partial frame
 *   buf.clear();
 * }
 * decoder.endOfStream(); // TruncatedFrameException if the stream stopped mid-frame
 * }
 *
 * <p>Each header is checked as soon as its bytes are in: a bad length fails after its 4 bytes,
 * before any payload is buffered (same rules as {@link FrameReader}). A payload buffer grows as
 * bytes arrive (doubling, from at most 64 KiB unless configured otherwise), so a hostile length
 * never allocates much more than was sent. After any {@link FrameException} the decoder is failed: the stream cannot be
 * resynchronised, and every later call throws {@link IllegalStateException}.
 *
 * <p>Thread safety: not thread-safe; one reader owns a decoder.
 *
 * @since 0.1
 */
public final class FrameDecoder {

  static final int INITIAL_PAYLOAD_BUFFER = 64 * 1024;

  private final int maxFrameBytes;
  private final FrameDialect dialect;
  private final int eagerAllocationBytes;
  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private int headerFilled;
  private int payloadLength = -1; // -1: header not complete
  private FrameType type;
  private long correlationId;
  private byte[] payload;
  private int payloadFilled;
  private FrameException failure;

  /**
   * Creates a decoder.
   *
   * @param maxFrameBytes the maximum of the length field, as in {@link Frames#checkMaxFrameBytes}
   * @param dialect the protocol whose type codes the frames carry
   */
  public FrameDecoder(int maxFrameBytes, FrameDialect dialect) {
    this(maxFrameBytes, INITIAL_PAYLOAD_BUFFER, dialect);
  }

  /**
   * Creates a decoder that allocates payload buffers of up to {@code eagerAllocationBytes} at
   * once, when the header arrives. Larger buffers save copies for big frames, but let a peer make
   * the decoder allocate that much without sending it: use them only with authenticated peers.
   *
   * @param maxFrameBytes the maximum of the length field, as in {@link Frames#checkMaxFrameBytes}
   * @param eagerAllocationBytes the largest payload buffer allocated before its bytes arrive,
   *     at least 0
   * @param dialect the protocol whose type codes the frames carry
   */
  public FrameDecoder(int maxFrameBytes, int eagerAllocationBytes, FrameDialect dialect) {
    this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
    this.maxFrameBytes = Frames.checkMaxFrameBytes(maxFrameBytes);
    if (eagerAllocationBytes < 0) {
      throw new IllegalArgumentException("eagerAllocationBytes must be >= 0: eagerAllocationBytes="
          + eagerAllocationBytes);
    }
    this.eagerAllocationBytes = eagerAllocationBytes;
  }

  /**
   * Consumes all remaining bytes of {@code chunk}, passing each frame completed to {@code sink}
   * in stream order, and keeps the bytes of an incomplete frame for the next call.
   *
   * @param chunk the next bytes of the stream; its position ends at its limit (unless a frame
   *     fails, then it stays just after the offending bytes)
   * @param sink receives the completed frames
   * @throws FrameException if the bytes are not a valid frame stream
   * @throws IllegalStateException if the decoder failed before
   */
  public void decode(ByteBuffer chunk, Consumer<? super Frame> sink) throws FrameException {
    Frame f;
    while ((f = decodeNext(chunk)) != null) {
      sink.accept(f);
    }
  }

  /**
   * Consumes all remaining bytes of {@code chunk} and returns the frames they completed.
   *
   * @param chunk the next bytes of the stream
   * @return the completed frames, in stream order; empty if none was completed
   * @throws FrameException if the bytes are not a valid frame stream
   * @throws IllegalStateException if the decoder failed before
   */
  public List<Frame> decode(ByteBuffer chunk) throws FrameException {
    List<Frame> frames = new ArrayList<>();
    decode(chunk, frames::add);
    return frames;
  }

  /**
   * Consumes bytes of {@code chunk} up to the end of the next frame and returns that frame; if
   * the chunk ends first, consumes all of it and returns {@code null}. Bytes after the returned
   * frame stay in the chunk.
   *
   * @param chunk the next bytes of the stream
   * @return the next complete frame, or {@code null} if more bytes are needed
   * @throws FrameException if the bytes are not a valid frame stream
   * @throws IllegalStateException if the decoder failed before
   */
  public Frame decodeNext(ByteBuffer chunk) throws FrameException {
    if (failure != null) {
      throw new IllegalStateException("the decoder failed earlier and cannot resynchronise: "
          + failure.getMessage(), failure);
    }
    try {
      return step(chunk);
    } catch (FrameException e) {
      failure = e;
      throw e;
    }
  }

  private Frame step(ByteBuffer chunk) throws FrameException {
    if (payloadLength < 0) {
      if (!fillHeader(chunk)) {
        return null;
      }
    }
    int want = payloadLength - payloadFilled;
    int n = Math.min(want, chunk.remaining());
    if (payloadFilled + n > payload.length) {
      int grown = (int) Math.min(payloadLength,
          Math.max(Math.max(2L * payload.length, payloadFilled + n), INITIAL_PAYLOAD_BUFFER));
      payload = Arrays.copyOf(payload, grown);
    }
    chunk.get(payload, payloadFilled, n);
    payloadFilled += n;
    if (payloadFilled < payloadLength) {
      return null;
    }
    Frame f = new Frame(type, correlationId, payload);
    reset();
    return f;
  }

  private boolean fillHeader(ByteBuffer chunk) throws FrameException {
    if (headerFilled < Frames.LENGTH_FIELD_BYTES) {
      int n = Math.min(Frames.LENGTH_FIELD_BYTES - headerFilled, chunk.remaining());
      chunk.get(header, headerFilled, n);
      headerFilled += n;
      if (headerFilled < Frames.LENGTH_FIELD_BYTES) {
        return false;
      }
      Frames.checkLength(Frames.getInt(header, 0), maxFrameBytes);
    }
    int n = Math.min(Frames.HEADER_BYTES - headerFilled, chunk.remaining());
    chunk.get(header, headerFilled, n);
    headerFilled += n;
    if (headerFilled < Frames.HEADER_BYTES) {
      return false;
    }
    type = dialect.typeOf(header[Frames.TYPE_OFFSET]);
    correlationId = Frames.getLong(header, Frames.CORRELATION_ID_OFFSET);
    payloadLength = Frames.getInt(header, 0) - Frames.MIN_LENGTH;
    payload = new byte[Math.min(payloadLength, eagerAllocationBytes)];
    payloadFilled = 0;
    return true;
  }

  private void reset() {
    headerFilled = 0;
    payloadLength = -1;
    type = null;
    payload = null;
    payloadFilled = 0;
  }

  /** {@return whether bytes of an incomplete frame are buffered} */
  public boolean isMidFrame() {
    return headerFilled > 0;
  }

  /**
   * Tells the decoder that the stream ended. Returns normally if it ended between frames (a
   * clean close).
   *
   * @throws TruncatedFrameException if it ended inside a frame, naming how many bytes were missing
   * @throws IllegalStateException if the decoder failed before
   */
  public void endOfStream() throws TruncatedFrameException {
    if (failure != null) {
      throw new IllegalStateException("the decoder failed earlier: " + failure.getMessage(), failure);
    }
    if (!isMidFrame()) {
      return;
    }
    TruncatedFrameException e = headerFilled < Frames.LENGTH_FIELD_BYTES
        ? TruncatedFrameException.at(headerFilled, -1)
        : TruncatedFrameException.at(headerFilled + payloadFilled,
            (long) Frames.LENGTH_FIELD_BYTES + Frames.getInt(header, 0));
    failure = e;
    throw e;
  }
}
