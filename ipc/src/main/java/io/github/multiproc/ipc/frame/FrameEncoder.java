package io.github.multiproc.ipc.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Turns frames into {@link ByteBuffer}s for NIO channels: the write side of
 * {@link FrameDecoder}. Produces the layout drawn in {@link Frames}.
 *
 * {@snippet :
 * FrameEncoder encoder = new FrameEncoder(Frames.DEFAULT_MAX_FRAME_BYTES);
 * ByteBuffer[] parts = encoder.encodeGathering(frame); // header + payload, no copy of the payload
 * while (parts[1].hasRemaining()) {
 *   channel.write(parts); // gathering write
 * }
 * }
 *
 * <p>Thread safety: immutable; buffers it returns belong to the caller.
 *
 * @since 0.1
 */
public final class FrameEncoder {

  private final int maxFrameBytes;

  /**
   * Creates an encoder.
   *
   * @param maxFrameBytes the maximum of the length field, as in {@link Frames#checkMaxFrameBytes}
   */
  public FrameEncoder(int maxFrameBytes) {
    this.maxFrameBytes = Frames.checkMaxFrameBytes(maxFrameBytes);
  }

  /** {@return the maximum of the length field this encoder enforces} */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Encodes a frame into one new heap buffer, ready to be written.
   *
   * @param frame the frame
   * @return a buffer holding header and payload, position 0, limit = wire size
   * @throws TooLongFrameException if the frame is longer than the maximum
   */
  public ByteBuffer encode(Frame frame) throws TooLongFrameException {
    ByteBuffer dst = ByteBuffer.allocate(checkedWireSize(frame.payload().length));
    encode(frame, dst);
    return dst.flip();
  }

  /**
   * Encodes a frame as two buffers, a new header and the payload array wrapped (not copied), for
   * a gathering write.
   *
   * @param frame the frame
   * @return {@code {header, payload}}, both ready to be written
   * @throws TooLongFrameException if the frame is longer than the maximum
   */
  public ByteBuffer[] encodeGathering(Frame frame) throws TooLongFrameException {
    ByteBuffer header = ByteBuffer.allocate(Frames.HEADER_BYTES);
    encodeHeader(frame.type(), frame.correlationId(), frame.payload().length, header);
    return new ByteBuffer[] {header.flip(), ByteBuffer.wrap(frame.payload())};
  }

  /**
   * Puts a whole frame into {@code dst} at its position, advancing it.
   *
   * @param frame the frame
   * @param dst the buffer; needs {@link Frames#wireSize} bytes remaining
   * @throws TooLongFrameException if the frame is longer than the maximum; nothing was put
   * @throws IllegalArgumentException if {@code dst} has too little room; nothing was put
   */
  public void encode(Frame frame, ByteBuffer dst) throws TooLongFrameException {
    byte[] payload = frame.payload();
    int size = checkedWireSize(payload.length);
    if (dst.remaining() < size) {
      throw new IllegalArgumentException("dst must have room for the frame's " + size
          + " bytes: remaining=" + dst.remaining());
    }
    encodeHeader(frame.type(), frame.correlationId(), payload.length, dst);
    dst.put(payload);
  }

  /**
   * Puts a frame header into {@code dst} at its position, advancing it by
   * {@link Frames#HEADER_BYTES}; the caller then puts {@code payloadLength} payload bytes.
   *
   * @param type the frame type
   * @param correlationId the correlation id
   * @param payloadLength the size of the payload that will follow
   * @param dst the buffer; needs {@link Frames#HEADER_BYTES} bytes remaining
   * @throws TooLongFrameException if the frame would be longer than the maximum; nothing was put
   * @throws IllegalArgumentException if {@code payloadLength} is negative or {@code dst} has too
   *     little room; nothing was put
   */
  public void encodeHeader(FrameType type, long correlationId, int payloadLength, ByteBuffer dst)
      throws TooLongFrameException {
    Objects.requireNonNull(type, "type");
    checkedWireSize(payloadLength);
    if (dst.remaining() < Frames.HEADER_BYTES) {
      throw new IllegalArgumentException("dst must have room for the " + Frames.HEADER_BYTES
          + "-byte header: remaining=" + dst.remaining());
    }
    ByteOrder order = dst.order();
    dst.order(ByteOrder.BIG_ENDIAN);
    dst.putInt(Frames.MIN_LENGTH + payloadLength).put(type.code()).putLong(correlationId);
    dst.order(order);
  }

  private int checkedWireSize(int payloadLength) throws TooLongFrameException {
    if (payloadLength < 0) {
      throw new IllegalArgumentException("payloadLength must be >= 0: payloadLength=" + payloadLength);
    }
    Frames.checkPayloadLength(payloadLength, maxFrameBytes);
    return Frames.HEADER_BYTES + payloadLength;
  }
}
