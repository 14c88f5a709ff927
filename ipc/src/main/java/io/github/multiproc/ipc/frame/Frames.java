package io.github.multiproc.ipc.frame;

/**
 * The layout of a frame on the wire, and the checks every reader and writer applies to it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     length (int32, big-endian)                |  offset 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     type      |                                               |  offset 4, 5
 * +-+-+-+-+-+-+-+-+     correlation id (int64, big-endian)        +
 * |                                                               |
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |   payload (length - 9 bytes) ...                 offset 13
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code length} counts the bytes after itself: {@code 9 + payload.length}. It is at least
 * {@link #MIN_LENGTH} and at most the configured maximum (default
 * {@link #DEFAULT_MAX_FRAME_BYTES}). The full specification, with error cases, is
 * {@code docs/protocol.md}.
 *
 * {@snippet :
 * int wireBytes = Frames.wireSize(frame); // Frames.HEADER_BYTES + frame.payload().length
 * }
 *
 * <p>Thread safety: stateless.
 *
 * @since 0.1
 */
public final class Frames {

  /** Offset of the length field. */
  public static final int LENGTH_OFFSET = 0;
  /** Offset of the type byte. */
  public static final int TYPE_OFFSET = 4;
  /** Offset of the correlation id. */
  public static final int CORRELATION_ID_OFFSET = 5;
  /** Offset of the payload; also the size of the header. */
  public static final int PAYLOAD_OFFSET = 13;
  /** Size of the header: length, type and correlation id. */
  public static final int HEADER_BYTES = PAYLOAD_OFFSET;
  /** Size of the length field. */
  public static final int LENGTH_FIELD_BYTES = 4;
  /** Smallest legal value of the length field: a frame with an empty payload. */
  public static final int MIN_LENGTH = HEADER_BYTES - LENGTH_FIELD_BYTES;
  /** Default maximum of the length field: 64 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;
  /**
   * Largest maximum a reader or writer accepts, so that a whole frame (header included) still
   * fits a Java array: {@code Integer.MAX_VALUE - 8 - 4}.
   */
  public static final int MAX_MAX_FRAME_BYTES = Integer.MAX_VALUE - 8 - LENGTH_FIELD_BYTES;

  private Frames() {}

  /**
   * Checks a configured maximum frame size.
   *
   * @param maxFrameBytes the maximum of the length field
   * @return {@code maxFrameBytes}
   * @throws IllegalArgumentException if it is below {@link #MIN_LENGTH} or above
   *     {@link #MAX_MAX_FRAME_BYTES}
   */
  public static int checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_LENGTH || maxFrameBytes > MAX_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes must be in [" + MIN_LENGTH + ", "
          + MAX_MAX_FRAME_BYTES + "]: maxFrameBytes=" + maxFrameBytes);
    }
    return maxFrameBytes;
  }

  /**
   * Checks a length field read from the wire, before anything after it is read.
   *
   * @param length the value of the length field
   * @param maxFrameBytes the configured maximum
   * @return the payload size, {@code length - MIN_LENGTH}
   * @throws CorruptedFrameException if {@code length < MIN_LENGTH} (negative included)
   * @throws TooLongFrameException if {@code length > maxFrameBytes}
   */
  public static int checkLength(int length, int maxFrameBytes)
      throws CorruptedFrameException, TooLongFrameException {
    if (length < MIN_LENGTH) {
      throw new CorruptedFrameException(
          "frame length must be >= " + MIN_LENGTH + " (type + correlation id): length=" + length);
    }
    if (length > maxFrameBytes) {
      throw new TooLongFrameException(length, maxFrameBytes);
    }
    return length - MIN_LENGTH;
  }

  /**
   * Checks that a payload of this size may be written under a maximum, before writing.
   *
   * @param payloadLength the payload size
   * @param maxFrameBytes the configured maximum of the length field
   * @throws TooLongFrameException if {@code MIN_LENGTH + payloadLength > maxFrameBytes}
   */
  public static void checkPayloadLength(int payloadLength, int maxFrameBytes)
      throws TooLongFrameException {
    long length = (long) MIN_LENGTH + payloadLength;
    if (length > maxFrameBytes) {
      throw new TooLongFrameException(length, maxFrameBytes);
    }
  }

  /**
   * Returns the number of bytes a frame takes on the wire.
   *
   * @param frame the frame
   * @return {@code HEADER_BYTES + payload length}
   */
  public static int wireSize(Frame frame) {
    return HEADER_BYTES + frame.payload().length;
  }

  /**
   * Writes a header into an array.
   *
   * @param dst the array
   * @param off where the header starts
   * @param type the frame type
   * @param correlationId the correlation id
   * @param payloadLength the payload size
   */
  static void putHeader(byte[] dst, int off, FrameType type, long correlationId, int payloadLength) {
    int length = MIN_LENGTH + payloadLength;
    dst[off] = (byte) (length >>> 24);
    dst[off + 1] = (byte) (length >>> 16);
    dst[off + 2] = (byte) (length >>> 8);
    dst[off + 3] = (byte) length;
    dst[off + TYPE_OFFSET] = type.code();
    for (int i = 0; i < 8; i++) {
      dst[off + CORRELATION_ID_OFFSET + i] = (byte) (correlationId >>> (56 - 8 * i));
    }
  }

  static int getInt(byte[] src, int off) {
    return (src[off] & 0xFF) << 24 | (src[off + 1] & 0xFF) << 16
        | (src[off + 2] & 0xFF) << 8 | (src[off + 3] & 0xFF);
  }

  static long getLong(byte[] src, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (src[off + i] & 0xFF);
    }
    return v;
  }
}
