package io.github.multiproc.ipc.pipe;

/**
 * How long a waiting end should spin before it blocks, learnt from how spins have ended: a spin
 * that caught the peer's data doubles the budget (up to the configured maximum); one that had to
 * block halves it. At zero it stays off, except that every {@value #PROBE_EVERY}th wait probes
 * with {@value #PROBE_NANOS} ns again; a probe that succeeds switches spinning back on, so it
 * returns when the machine quiets down.
 *
 * <p>Thread safety: not thread-safe; each instance is used under one lock of its channel.
 */
final class AdaptiveSpin {

  static final int PROBE_EVERY = 64;
  static final long MIN_NANOS = 2_000;
  /** Budget of a probe while spinning is off. */
  static final long PROBE_NANOS = 20_000;

  private final long maxNanos;
  private long budget;
  private long lastGiven;
  private int waitsSinceProbe;

  AdaptiveSpin(long maxNanos) {
    this.maxNanos = maxNanos;
    this.budget = maxNanos;
  }

  /** @return the spin time for the next wait, in nanoseconds; 0: block at once */
  long budget() {
    if (budget == 0 && maxNanos > 0 && ++waitsSinceProbe >= PROBE_EVERY) {
      waitsSinceProbe = 0;
      lastGiven = Math.min(maxNanos, PROBE_NANOS);
    } else {
      lastGiven = budget;
    }
    return lastGiven;
  }

  /** The spin with the last budget given caught the data. */
  void succeeded() {
    budget = Math.min(maxNanos, Math.max(MIN_NANOS, lastGiven * 2));
  }

  /** The spin with the last budget given ran out or was preempted, and the wait blocked. */
  void failed() {
    budget = lastGiven / 2 < MIN_NANOS ? 0 : lastGiven / 2;
  }
}
