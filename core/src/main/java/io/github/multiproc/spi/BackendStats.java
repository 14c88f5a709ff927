package io.github.multiproc.spi;

import io.github.multiproc.PoolStats;
import java.util.Objects;

/**
 * The part of a {@link PoolStats} snapshot only a backend knows: its workers' states, the chunks
 * it holds, and its replacements. {@link AbstractPool#backendStats()} returns it; the engine adds
 * the item counters and chunk latencies it measures itself.
 *
 * {@snippet :
 * @Override
 * protected BackendStats backendStats() {
 *   int running = executor.getActiveCount();
 *   return new BackendStats(workers(), running, 0, executor.getQueue().size(), running,
 *       PoolStats.Replacements.NONE);
 * }
 * }
 *
 * <p>A backend reads its figures without stopping its work; {@code busyWorkers} and
 * {@code startingWorkers} larger than {@code workers} (a moment between two reads) are clamped by
 * the engine, so that the snapshot's worker states always add up. Immutable and thread-safe.
 *
 * @param workers the workers the pool has now, including those starting
 * @param busyWorkers workers running or holding work
 * @param startingWorkers workers launched but not ready yet
 * @param chunksQueued chunks waiting for a worker
 * @param chunksInFlight chunks handed to a worker and not yet answered
 * @param replacements workers replaced so far, by reason
 * @since 0.1
 */
public record BackendStats(int workers, int busyWorkers, int startingWorkers, long chunksQueued,
    long chunksInFlight, PoolStats.Replacements replacements) {

  /**
   * Checks the figures.
   *
   * @throws IllegalArgumentException if a figure is negative
   */
  public BackendStats {
    Objects.requireNonNull(replacements, "replacements");
    if (workers < 0 || busyWorkers < 0 || startingWorkers < 0 || chunksQueued < 0 || chunksInFlight < 0) {
      throw new IllegalArgumentException("backend figures must be >= 0: workers=" + workers + ", busy=" + busyWorkers
          + ", starting=" + startingWorkers + ", queued=" + chunksQueued + ", inFlight=" + chunksInFlight);
    }
  }

  /**
   * Returns what a backend that tracks nothing can say: {@code workers} workers, all idle.
   *
   * @param workers the worker count
   * @return the figures
   */
  public static BackendStats idle(int workers) {
    return new BackendStats(workers, 0, 0, 0, 0, PoolStats.Replacements.NONE);
  }
}
