package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.PoolStats;

/**
 * How many workers a {@link Fleet} has replaced, by why they left, and how many replacements are
 * being launched.
 *
 * <p>Thread safety: not thread-safe; guarded by the fleet's lock.
 */
final class ReplacementCounts {

  private int launching;
  private long died;
  private long timedOut;
  private long recycled;
  private long overMemory;

  /**
   * A replacement is under way for a worker that left for {@code reason}.
   *
   * @param reason why it left ({@link WorkerExitReason#CLOSED} is not counted)
   */
  void started(WorkerExitReason reason) {
    launching++;
    switch (reason) {
      case DIED -> died++;
      case TIMED_OUT -> timedOut++;
      case RECYCLED -> recycled++;
      case OVER_MEMORY -> overMemory++;
      case CLOSED -> { } // not replaced: the fleet is closed
    }
  }

  /** A replacement's launch ended, ready or failed. */
  void ended() {
    launching--;
  }

  /** @return whether a replacement is being launched */
  boolean launching() {
    return launching > 0;
  }

  /** @return the replacements so far, by reason */
  PoolStats.Replacements snapshot() {
    return new PoolStats.Replacements(died, timedOut, recycled, overMemory);
  }
}
