package io.github.multiproc.ipc.frame;

import java.io.IOException;
import java.io.Serial;

/**
 * The byte stream does not hold a well-formed frame where one was expected: the peer wrote
 * something that is not this protocol, the stream was cut, or a frame broke a limit. It is the
 * fault of the sender or of the transport, never of the receiver's caller. After it, the stream
 * cannot be resynchronised and should be closed.
 *
 * <p>Subtypes: {@link CorruptedFrameException}, {@link TooLongFrameException},
 * {@link TruncatedFrameException}.
 *
 * {@snippet :
 * try {
 *   Frame f = reader.read();
 * } catch (FrameException e) {
 *   connection.close(); // the stream is out of step: no later frame can be trusted
 * }
 * }
 *
 * <p>Thread safety: adds no state to {@link java.io.IOException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class FrameException extends IOException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the rule that was broken and the value that broke it
   */
  public FrameException(String message) {
    super(message);
  }
}
