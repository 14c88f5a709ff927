package io.github.multiproc.processpool.internal.protocol;

/**
 * The parent's side of the worker protocol: what the parent can tell a worker. Each method
 * sends one {@link ParentMessage}; the worker's side answers through {@link ToParent}.
 *
 * {@snippet :
 * ToWorker worker = ...;
 * worker.define(call.define());
 * worker.tasks(batch.tasks());
 * worker.cancel(batch.id());      // the worker answers DROPPED, or RESULTS if it finished first
 * }
 *
 * <p>Thread safety: implementations may be called from any thread and never block on I/O.
 */
public interface ToWorker {

  /** @param message the message to send */
  void send(ParentMessage message);

  /** @param define a call's task, sent before the worker's first batch of the call */
  default void define(ParentMessage.Define define) {
    send(define);
  }

  /** @param tasks a batch of inputs */
  default void tasks(ParentMessage.Tasks tasks) {
    send(tasks);
  }

  /** @param batchId drop the batch if queued, interrupt it if running */
  default void cancel(long batchId) {
    send(new ParentMessage.Cancel(batchId));
  }

  /** @param batchId drop the batch if it has not started */
  default void recall(long batchId) {
    send(new ParentMessage.Recall(batchId));
  }

  /** @param callId forget the call's task */
  default void release(long callId) {
    send(new ParentMessage.Release(callId));
  }

  /** @param sequence the heartbeat's sequence, echoed in the PONG */
  default void ping(long sequence) {
    send(new ParentMessage.Ping(sequence));
  }

  /** Finish the batches held, then exit. */
  default void shutdown() {
    send(new ParentMessage.Shutdown());
  }
}
