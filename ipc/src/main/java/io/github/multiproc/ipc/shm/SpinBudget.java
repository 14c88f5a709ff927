package io.github.multiproc.ipc.shm;

/**
 * How long a waiter should spin before it sleeps, learnt from how recent spins ended. A
 * spin that caught the awaited change doubles the budget (up to the configured maximum); one
 * that ran out and had to sleep halves it, down to zero. At zero it stays off except that every
 * {@value #PROBE_EVERY}th wait probes with a small budget, so spinning returns when it pays
 * again.
 *
 * <p>Why adaptive: while the peer is busy, a spin catches it in well under a microsecond where
 * a futex wake-up costs ~60 µs on this kind of machine; while the peer is idle (a queue with
 * intermittent traffic), every spin is CPU burnt for nothing, so the budget decays to zero and
 * the waiter sleeps at once.
 *
 * <p>Thread safety: shared by the threads of one queue end. Updates are racy on purpose (a lost
 * update only nudges a heuristic); the budget is volatile so readers see recent values.
 */
final class SpinBudget {

  static final int PROBE_EVERY = 64;
  static final long MIN_NANOS = 2_000;

  private final long maxNanos;
  private volatile long budget;
  private int waitsSinceProbe;

  SpinBudget(long maxNanos) {
    this.maxNanos = maxNanos;
    this.budget = maxNanos;
  }

  /** {@return the spin time for the next wait, in nanoseconds; 0: sleep at once} */
  long next() {
    long current = budget;
    if (current == 0 && maxNanos > 0 && ++waitsSinceProbe >= PROBE_EVERY) {
      waitsSinceProbe = 0;
      return Math.min(maxNanos, 4 * MIN_NANOS);
    }
    return current;
  }

  /** The last spin caught the awaited change. */
  void succeeded() {
    budget = Math.min(maxNanos, Math.max(MIN_NANOS, budget * 2));
  }

  /** The last spin ran out and the waiter had to sleep. */
  void failed() {
    long half = budget / 2;
    budget = half < MIN_NANOS ? 0 : half;
  }
}
