package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.spi.BackendStats;

/**
 * The pool's figures for {@code Pool.stats()}, read without stopping the event loop: after each
 * event the loop publishes what its {@link Scheduler} holds, and a reader combines the last
 * published figures with the {@link Fleet}'s counts. A chunk usually travels as one batch; the
 * figures count batches.
 *
 * <p>Thread safety: {@link #publish} is called on the event loop only; {@link #stats} from any
 * thread (it reads one volatile snapshot).
 */
final class StatsSnapshot {

  /**
   * What the scheduler holds, as the loop last saw it.
   *
   * @param busyWorkers workers holding at least one batch
   * @param queued batches waiting for a worker
   * @param inFlight batches held by workers
   */
  private record Held(int busyWorkers, int queued, int inFlight) {
    static final Held NONE = new Held(0, 0, 0);
  }

  private final Scheduler<?> scheduler;
  private final Fleet fleet;
  private volatile Held held = Held.NONE;

  StatsSnapshot(Scheduler<?> scheduler, Fleet fleet) {
    this.scheduler = scheduler;
    this.fleet = fleet;
  }

  /** On the loop, after each event: publishes what changed (no allocation when nothing did). */
  void publish() {
    int busy = scheduler.busyWorkers();
    int queued = scheduler.queued();
    int inFlight = scheduler.heldBatches();
    Held h = held;
    if (h.busyWorkers() != busy || h.queued() != queued || h.inFlight() != inFlight) {
      held = new Held(busy, queued, inFlight);
    }
  }

  /**
   * Returns the pool's workers and batches: the fleet's counts (under its lock) and what the loop
   * last published.
   *
   * @return the figures
   */
  BackendStats stats() {
    Fleet.Counts f = fleet.counts();
    Held h = held;
    return new BackendStats(f.starting() + f.ready(), Math.min(h.busyWorkers(), f.ready()), f.starting(),
        h.queued(), h.inFlight(), f.replacements());
  }
}
