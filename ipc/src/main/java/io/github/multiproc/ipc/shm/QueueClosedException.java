package io.github.multiproc.ipc.shm;

/**
 * Thrown by {@link SharedQueue#put} and {@code offer} once the queue is closed (the caller's
 * message was not enqueued), and by {@link SharedQueue#take} and {@code poll} once it is closed
 * and every message committed before the close has been taken: the end of the stream.
 *
 * {@snippet :
 * try {
 *   while (true) {
 *     handle(queue.take());
 *   }
 * } catch (QueueClosedException e) {
 *   // a producer closed the queue and every message it committed has been handled
 * }
 * }
 *
 * <p>Thread safety: adds no state to {@link IllegalStateException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public final class QueueClosedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message says which queue and what was attempted
   */
  public QueueClosedException(String message) {
    super(message);
  }
}
