package io.github.multiproc.ipc.shm;

/**
 * Thrown when an encoded message does not fit a {@link SharedQueue} slot, or is larger than a
 * {@link io.github.multiproc.ipc.Pipe}'s message limit: the caller's fault (send smaller
 * messages, or make the channel with a larger {@code maxMessageBytes}). Nothing was sent; the
 * channel is unchanged.
 *
 * {@snippet :
 * try {
 *   queue.put(report);
 * } catch (MessageTooLargeException e) {
 *   log.warn("report of {} bytes exceeds the slot size {}", e.messageBytes(), e.maxMessageBytes());
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor, so any
 * thread the exception is handed to reads them safely; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public final class MessageTooLargeException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Size of the encoded message in bytes. */
  private final int messageBytes;
  /** The queue's per-message limit in bytes. */
  private final int maxMessageBytes;

  /**
   * Creates the exception for a message of {@code messageBytes} bytes that exceeds the slot size
   * of {@code queue}.
   *
   * @param queue the queue's name
   * @param messageBytes size of the encoded message
   * @param maxMessageBytes the queue's limit
   */
  public MessageTooLargeException(String queue, int messageBytes, int maxMessageBytes) {
    super("encoded message must be at most maxMessageBytes=" + maxMessageBytes + " bytes to fit a slot of queue "
        + queue + ": messageBytes=" + messageBytes);
    this.messageBytes = messageBytes;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Creates the exception for a message of {@code messageBytes} bytes that exceeds the limit of
   * another channel, such as a pipe end.
   *
   * @param channel names the channel, such as {@code "pipe end 0"}
   * @param messageBytes size of the message
   * @param maxMessageBytes the channel's limit
   * @param remedy what the caller can do, such as how to raise the limit
   * @since 0.2
   */
  public MessageTooLargeException(String channel, int messageBytes, int maxMessageBytes, String remedy) {
    super("message is too large for " + channel + ": " + messageBytes + " bytes, over the limit of"
        + " maxMessageBytes=" + maxMessageBytes + " bytes; " + remedy);
    this.messageBytes = messageBytes;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** {@return size of the encoded message} */
  public int messageBytes() {
    return messageBytes;
  }

  /** {@return the queue's per-message limit} */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }
}
