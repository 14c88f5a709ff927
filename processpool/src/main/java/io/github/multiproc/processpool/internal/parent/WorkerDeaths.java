package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.jfr.JfrEvents;
import io.github.multiproc.jfr.WorkerExitEvent;
import io.github.multiproc.spi.ChunkResult;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a worker's death: sweeps the shared memory it created, takes its batches from the
 * {@link Scheduler} (re-running or re-queueing what may be), lets the {@link Fleet} record and
 * replace it, records the exit in JFR, logs an unplanned death, and fails the batch it was
 * running with the cause.
 *
 * <p>Thread safety: confined to the pool's event loop.
 */
final class WorkerDeaths {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerDeaths.class);
  }

  private final Scheduler<WorkerProcess> scheduler;
  private final Fleet fleet;
  private final FailedItemEvents failures;
  private final UnrunBatches unrun;
  private final BooleanSupplier closing;

  /**
   * @param scheduler the pool's scheduler
   * @param fleet the pool's fleet
   * @param failures told of the items that fail with the worker
   * @param unrun fails the queue if the dead worker was the last one
   * @param closing whether the pool is closing (a dead worker is then not replaced)
   */
  WorkerDeaths(Scheduler<WorkerProcess> scheduler, Fleet fleet, FailedItemEvents failures, UnrunBatches unrun,
      BooleanSupplier closing) {
    this.scheduler = scheduler;
    this.fleet = fleet;
    this.failures = failures;
    this.unrun = unrun;
    this.closing = closing;
  }

  /**
   * A worker died: everything it held is settled.
   *
   * @param worker the worker
   * @param death how it died
   */
  void died(WorkerProcess worker, WorkerDeath death) {
    DeadWorkers.sweepSharedMemory(worker);
    Scheduler.Death d = scheduler.workerDied(worker);
    Fleet.Gone gone = fleet.gone(worker, death);
    boolean planned = gone.planned();
    if (JfrEvents.workerExitWanted()) {
      recordExit(death, death.exitCode().isPresent() ? death.exitCode() : worker.exitCode(), gone, d);
    }
    if (!planned || d.lost() != null) {
      Log.LOG.warn("worker {} died ({}; exit code {}{}); {}{}{}", death.pid(), death.reason(),
          death.exitCode().isPresent() ? death.exitCode().getAsInt() : "unknown",
          death.killedBecause() == null ? "" : "; killed by the pool: " + death.killedBecause(),
          d.lost() != null ? "failing " + d.lost() : d.retried() != null ? "re-running " + d.retried()
              : "it held no unanswered batch",
          d.requeued().isEmpty() ? "" : ", re-dispatching " + d.requeued().size() + " batch(es) it had not started",
          closing.getAsBoolean() ? "" : "; replacing it");
    }
    Batch lost = d.lost();
    if (lost != null && lost.settle()) {
      ChunkResult<Object> failed = DeadWorkers.failuresOf(lost, death);
      failures.decoded(lost, failed, death.pid());
      lost.chunk.resolve(lost.from, failed, 0);
    }
    unrun.failQueuedIfNoWorkers();
  }

  private static void recordExit(WorkerDeath death, OptionalInt exitCode, Fleet.Gone gone, Scheduler.Death d) {
    int code = exitCode.orElse(-1);
    long requeued = 0;
    for (Batch b : d.requeued()) {
      requeued += b.count;
    }
    JfrEvents.workerExit(new WorkerExitEvent.Exit("ProcessPool", death.pid(), gone.reason().label,
        death.killedBecause() != null ? "killed by the pool: " + death.killedBecause() : death.reason(), code,
        code > 128 && code < 128 + 65 ? code - 128 : 0, gone.planned(), d.lost() == null ? 0 : d.lost().count,
        d.retried() == null ? 0 : d.retried().count, requeued));
  }
}
