package io.github.multiproc.ipc;

import io.github.multiproc.ipc.codec.CodecException;
import java.io.Serial;

/**
 * The next message of a {@link Connection} is of the other kind than the receive call asked for:
 * it was sent with {@code sendBytes} and received with {@code recv}, or sent with {@code send}
 * and received with {@code recvBytes}. The message stays first in line, so the right call
 * receives it next; nothing is lost and no wrong value is ever returned.
 *
 * {@snippet :
 * try {
 *   Object o = connection.recv();
 * } catch (MessageKindException e) {
 *   byte[] raw = connection.recvBytes();   // it was raw bytes
 * }
 * }
 *
 * <p>Thread safety: adds no mutable state to {@link CodecException}.
 *
 * @since 0.2
 */
public class MessageKindException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which call was made, how the message was sent, and which call receives it
   */
  public MessageKindException(String message) {
    super(message);
  }
}
