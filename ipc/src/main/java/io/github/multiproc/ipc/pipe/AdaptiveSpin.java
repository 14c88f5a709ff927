package io.github.multiproc.ipc.pipe;

/**
 * How long a waiting end should spin before it blocks, learnt from how spins have ended: a spin
 * that caught the peer's data doubles the budget (up to the configured maximum); one that had to
 * block halves it. At zero it stays off, except that every {@value #PROBE_EVERY}th wait probes
 * with a small budget again, so spinning comes back when the machine quiets down.
 *
 * <p>Thread safety: not thread-safe; each instance is used under one lock of its channel.
 */
final class AdaptiveSpin {

  static final int PROBE_EVERY = 64;
  static final long MIN_NANOS = 2_000;

  private final long maxNanos;
  private long budget;
  private int waitsSinceProbe;

  AdaptiveSpin(long maxNanos) {
    this.maxNanos = maxNanos;
    this.budget = maxNanos;
  }

  /** @return the spin time for the next wait, in nanoseconds; 0: block at once */
  long budget() {
    if (budget == 0 && maxNanos > 0 && ++waitsSinceProbe >= PROBE_EVERY) {
      waitsSinceProbe = 0;
      return Math.min(maxNanos, 4 * MIN_NANOS);
    }
    return budget;
  }

  /** The last spin caught the data. */
  void succeeded() {
    budget = Math.min(maxNanos, Math.max(MIN_NANOS, budget * 2));
  }

  /** The last spin ran out or was preempted, and the wait blocked. */
  void failed() {
    budget = budget / 2 < MIN_NANOS ? 0 : budget / 2;
  }
}
