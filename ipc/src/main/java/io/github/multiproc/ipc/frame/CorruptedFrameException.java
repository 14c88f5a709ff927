package io.github.multiproc.ipc.frame;

import java.io.Serial;

/**
 * A frame header holds an impossible value: a length below {@link Frames#MIN_LENGTH} (negative
 * included) or an unknown type code. The peer does not speak this protocol, or the stream is out
 * of step.
 *
 * {@snippet :
 * catch (CorruptedFrameException e) {
 *   log.error("peer sent garbage, closing", e);
 * }
 * }
 *
 * <p>Thread safety: adds no state to {@link FrameException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class CorruptedFrameException extends FrameException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the rule that was broken and the value that broke it
   */
  public CorruptedFrameException(String message) {
    super(message);
  }
}
