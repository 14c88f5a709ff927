package io.github.multiproc.ipc.frame;

import java.io.Serial;

/**
 * A frame's declared length is above the configured maximum. Thrown as soon as the length field
 * is read, before any payload byte is read or any buffer for it allocated (fail fast), and by
 * writers before anything is written.
 *
 * {@snippet :
 * try (FrameReader reader = new FrameReader(in, 1 << 20)) {
 *   reader.read(); // a frame that declares 2 MiB fails here, having read only 4 bytes
 * } catch (TooLongFrameException e) {
 *   log.warn("peer sent {} bytes, limit {}", e.declaredLength(), e.maxFrameBytes());
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor, so any
 * thread the exception is handed to reads them safely; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class TooLongFrameException extends FrameException {

  @Serial private static final long serialVersionUID = 1L;

  /** The value of the length field (bytes after the length field). */
  private final long declaredLength;
  /** The configured maximum of the length field. */
  private final int maxFrameBytes;

  /**
   * Creates the exception.
   *
   * @param declaredLength the value of the length field (bytes after the length field)
   * @param maxFrameBytes the configured maximum of that value
   */
  public TooLongFrameException(long declaredLength, int maxFrameBytes) {
    super("frame length must be <= maxFrameBytes=" + maxFrameBytes + ": length=" + declaredLength);
    this.declaredLength = declaredLength;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** {@return the length the frame declared (bytes after the length field)} */
  public long declaredLength() {
    return declaredLength;
  }

  /** {@return the configured maximum length} */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
