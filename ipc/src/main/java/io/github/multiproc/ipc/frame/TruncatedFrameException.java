package io.github.multiproc.ipc.frame;

import java.io.Serial;

/**
 * The stream ended inside a frame: the peer died or closed mid-write, or the transport cut the
 * stream. (An end of stream <em>between</em> frames is a clean close, not this exception.) It
 * extends {@link FrameException}, not {@link java.io.EOFException}: an {@code EOFException}
 * means a clean end of stream in this library.
 *
 * {@snippet :
 * catch (TruncatedFrameException e) {
 *   log.warn("peer vanished mid-frame, {} bytes missing", e.missingBytes());
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor, so any
 * thread the exception is handed to reads them safely; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class TruncatedFrameException extends FrameException {

  @Serial private static final long serialVersionUID = 1L;

  /** How many more bytes the frame needed (a lower bound if its length was unknown). */
  private final long missingBytes;

  /**
   * Creates the exception.
   *
   * @param message where in the frame the stream ended
   * @param missingBytes how many more bytes the frame needed (a lower bound if the stream ended
   *     before the length field was complete)
   */
  public TruncatedFrameException(String message, long missingBytes) {
    super(message);
    this.missingBytes = missingBytes;
  }

  /**
   * Builds the exception for a stream that ended after {@code received} of the frame's
   * {@code expected} bytes (header included).
   *
   * @param received bytes of the frame that arrived, length field included
   * @param expected bytes the whole frame needs, or -1 if the length field itself is incomplete
   * @return the exception
   */
  static TruncatedFrameException at(long received, long expected) {
    if (expected < 0) {
      long missing = Frames.HEADER_BYTES - received;
      return new TruncatedFrameException("stream ended inside a frame's length field after "
          + received + " of 4 bytes: at least " + missing + " bytes missing", missing);
    }
    long missing = expected - received;
    String where = received < Frames.HEADER_BYTES ? "header" : "payload";
    return new TruncatedFrameException("stream ended inside a frame's " + where + " after "
        + received + " of " + expected + " bytes: " + missing + " bytes missing", missing);
  }

  /** {@return how many more bytes the frame needed (a lower bound if its length was unknown)} */
  public long missingBytes() {
    return missingBytes;
  }
}
