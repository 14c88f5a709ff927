package io.github.multiproc.processpool.internal.parent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Fails the batches that can no longer run: the queue once no worker is left to run it (the
 * replacements failed, or the pool is closing and none is on its way), and on
 * {@code shutdownNow} every batch that had not started.
 *
 * <p>Thread safety: confined to the pool's event loop.
 */
final class UnrunBatches {

  private final Scheduler<WorkerProcess> scheduler;
  private final Fleet fleet;
  private final BooleanSupplier closing;
  private RuntimeException noWorkers; // why queued batches cannot run any more, or null

  /**
   * @param scheduler the pool's scheduler
   * @param fleet the pool's fleet
   * @param closing whether the pool is closing
   */
  UnrunBatches(Scheduler<WorkerProcess> scheduler, Fleet fleet, BooleanSupplier closing) {
    this.scheduler = scheduler;
    this.fleet = fleet;
    this.closing = closing;
  }

  /** A worker is ready: the queue can run again. */
  void workerReady() {
    noWorkers = null;
  }

  /**
   * A replacement could not be started: unless a worker is left, the queue fails with the cause.
   *
   * @param cause why the replacement failed
   */
  void replacementFailed(RuntimeException cause) {
    noWorkers = cause;
    failQueuedIfNoWorkers();
  }

  /** Fails the queued batches if no worker is left, nor a replacement on its way, to run them. */
  void failQueuedIfNoWorkers() {
    if (scheduler.hasWorkers() || noWorkers == null && (!closing.getAsBoolean() || fleet.replacing())) {
      return; // someone can still run the queue: a worker, or a replacement on its way
    }
    RuntimeException why = noWorkers != null ? noWorkers
        : new RejectedExecutionException("the pool was shut down before this chunk ran");
    for (Batch b : scheduler.drainQueue()) {
      if (b.settle()) {
        b.chunk.fail(b.from, b.count, i -> why);
      }
    }
  }

  /**
   * Fails the batches that never started (rejected) and returns their inputs, for
   * {@code shutdownNow}.
   *
   * @return the inputs (for a submitted job, the job), in dispatch order
   */
  List<Object> drainNeverRan() {
    List<Batch> unstarted = new ArrayList<>(scheduler.drainUnstarted());
    unstarted.addAll(scheduler.drainQueue());
    List<Object> inputs = new ArrayList<>();
    RejectedExecutionException stopped = new RejectedExecutionException("the pool was shut down (shutdownNow) "
        + "before this chunk ran");
    for (Batch b : unstarted) {
      if (b.isCancelled() || !b.settle()) {
        continue;
      }
      for (int i = 0; i < b.count; i++) {
        inputs.add(b.call.isJob() ? b.call.job() : b.chunk.chunk.items().get(b.from + i));
      }
      b.chunk.fail(b.from, b.count, i -> stopped);
    }
    return inputs;
  }
}
