package io.github.multiproc.processpool.internal.protocol;

/**
 * The worker's side of the worker protocol: what a worker can tell its parent. Each method sends
 * one {@link WorkerMessage}; the parent's side speaks through {@link ToWorker}.
 *
 * <p>Thread safety: implementations may be called from any thread of the worker; messages are
 * written whole, one at a time.
 */
public interface ToParent {

  /** @param message the message to send */
  void send(WorkerMessage message);

  /** @param batchId the batch @param payload its RESULTS payload ({@link ResultsCodec}) */
  default void results(long batchId, byte[] payload) {
    send(WorkerMessage.Results.of(batchId, payload));
  }

  /** @param batchId a batch that never ran here @param reason why */
  default void dropped(long batchId, String reason) {
    send(new WorkerMessage.Dropped(batchId, reason));
  }

  /** @param reason why this worker stops; the parent sends it nothing more */
  default void stopping(String reason) {
    send(new WorkerMessage.Stopping(reason));
  }

  /** @param sequence the PING's sequence */
  default void pong(long sequence) {
    send(new WorkerMessage.Pong(sequence));
  }
}
