package io.github.multiproc.ipc.frame;

import java.io.Serial;

/**
 * The two sides of a channel speak no common protocol version (see {@link Hello#negotiate}).
 * Neither side's code is at fault: the two processes run different releases of the library.
 *
 * {@snippet :
 * catch (ProtocolMismatchException e) {
 *   writer.write(new Frame(dialectError, 0, e.getMessage().getBytes(UTF_8)));
 *   writer.close();
 * }
 * }
 *
 * <p>Thread safety: adds no state to {@link FrameException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class ProtocolMismatchException extends FrameException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message both sides' version ranges
   */
  public ProtocolMismatchException(String message) {
    super(message);
  }
}
