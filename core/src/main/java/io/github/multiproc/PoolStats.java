package io.github.multiproc;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of a pool's state and counters, the same for every backend: what its workers are
 * doing, how many chunks wait or run, how many items completed and failed, how many workers were
 * replaced and why, and how long chunks took lately. {@link Pool#stats()} returns one.
 *
 * {@snippet :
 * PoolStats s = pool.stats();                          // cheap: call it every second if you like
 * log.info("{}/{} workers busy, {} chunks queued, {} items done ({} failed), p99 {} ms",
 *     s.busyWorkers(), s.workers(), s.chunksQueued(), s.itemsCompleted(), s.itemsFailed(),
 *     s.chunkLatency().p99().toMillis());
 * }
 *
 * <table class="striped">
 * <caption>What each figure means per backend</caption>
 * <tr><th>figure</th><th>{@code ThreadPool}</th><th>{@code VirtualThreadPool}</th>
 *     <th>{@code ProcessPool}</th><th>{@code ClusterPool}</th></tr>
 * <tr><td>{@link #workers()}</td><td>threads</td><td>the concurrency bound</td><td>worker JVMs
 *     started or starting</td><td>{@code workers()}: chunks it plans to run at once</td></tr>
 * <tr><td>{@link #busyWorkers()}</td><td>threads running a chunk</td><td>chunks running</td>
 *     <td>workers holding a chunk</td><td>chunks running on members</td></tr>
 * <tr><td>{@link #startingWorkers()}</td><td>0</td><td>0</td><td>workers launched that have not
 *     answered the handshake (replacements too)</td><td>0</td></tr>
 * <tr><td>{@link #chunksQueued()}</td><td>chunks waiting for a thread</td><td>chunks waiting for
 *     a permit</td><td>chunks waiting for a worker</td><td>0 (members queue them)</td></tr>
 * <tr><td>{@link #chunksInFlight()}</td><td>chunks running</td><td>chunks running</td>
 *     <td>chunks sent to a worker and not yet answered</td><td>chunks sent to a member and not
 *     yet answered</td></tr>
 * <tr><td>{@link #replacements()}</td><td>none</td><td>none</td><td>see {@link Replacements}</td>
 *     <td>none (members are not started by the pool)</td></tr>
 * </table>
 *
 * <p><b>Counting rules.</b> {@link #itemsCompleted()} counts every item that finished, with a
 * value or a failure; {@link #itemsFailed()} is the part of it that failed (the task threw, timed
 * out, or its worker died). Items of a chunk cancelled before it finished (a caller interrupted,
 * {@code map} failing fast, {@code future.cancel(true)}) are counted in neither. Counters start
 * at zero when the pool is built and only grow. An item is counted by the thread that completes
 * its chunk, just after the chunk's future completes, so a {@code map} may return a moment before
 * its last chunk is counted.
 *
 * <p><b>Consistency.</b> Each figure is read without a global lock and is exact at some moment
 * during the call to {@code stats()}; across figures, {@code workers == busyWorkers + idleWorkers +
 * startingWorkers} always holds. Values are immutable and thread-safe.
 *
 * @param workers the workers the pool has now, including those starting
 * @param busyWorkers workers running (or holding) work
 * @param idleWorkers workers ready and holding nothing
 * @param startingWorkers workers launched but not ready yet
 * @param chunksQueued chunks dispatched and waiting for a worker
 * @param chunksInFlight chunks handed to a worker and not yet answered
 * @param itemsCompleted items that finished since the pool was built, successfully or not
 * @param itemsFailed the part of {@code itemsCompleted} that failed
 * @param replacements workers that left and were replaced, by reason
 * @param chunkLatency how long chunks took, from dispatch to their result
 * @since 0.1
 */
public record PoolStats(int workers, int busyWorkers, int idleWorkers, int startingWorkers,
    long chunksQueued, long chunksInFlight, long itemsCompleted, long itemsFailed,
    Replacements replacements, Latency chunkLatency) {

  /**
   * Checks the figures.
   *
   * @throws IllegalArgumentException if a figure is negative, the worker states do not add up to
   *     {@code workers}, or more items failed than completed
   */
  public PoolStats {
    Objects.requireNonNull(replacements, "replacements");
    Objects.requireNonNull(chunkLatency, "chunkLatency");
    if (busyWorkers < 0 || idleWorkers < 0 || startingWorkers < 0
        || workers != busyWorkers + idleWorkers + startingWorkers) {
      throw new IllegalArgumentException("worker states must be >= 0 and add up to workers: workers=" + workers
          + ", busy=" + busyWorkers + ", idle=" + idleWorkers + ", starting=" + startingWorkers);
    }
    if (chunksQueued < 0 || chunksInFlight < 0 || itemsFailed < 0 || itemsCompleted < itemsFailed) {
      throw new IllegalArgumentException("counts must be >= 0 and itemsFailed <= itemsCompleted: chunksQueued="
          + chunksQueued + ", chunksInFlight=" + chunksInFlight + ", itemsCompleted=" + itemsCompleted
          + ", itemsFailed=" + itemsFailed);
    }
  }

  /** {@return the items that finished with a value: {@code itemsCompleted - itemsFailed}} */
  public long itemsSucceeded() {
    return itemsCompleted - itemsFailed;
  }

  /**
   * Workers that left while the pool was open and were replaced, by why they left. Workers that
   * leave because the pool closes are not counted.
   *
   * @param died crashed, killed from outside, killed by the pool's watchdog (unresponsive) or for a
   *     protocol error
   * @param timedOut stopped because a task ran past its per-task timeout, or ignored a
   *     cancellation, for longer than the grace period
   * @param recycled retired after {@code maxTasksPerWorker} items, as planned
   * @param overMemory retired because its memory grew too large: its resident memory passed the
   *     process pool's {@code maxWorkerMemory}, or a task threw {@code OutOfMemoryError}
   * @since 0.1
   */
  public record Replacements(long died, long timedOut, long recycled, long overMemory) {

    /** No replacement at all. */
    public static final Replacements NONE = new Replacements(0, 0, 0, 0);

    /**
     * Counts without memory-based replacements (the form before 0.2).
     *
     * @param died crashed or killed
     * @param timedOut stopped after a task overran its timeout
     * @param recycled retired at the task limit
     */
    public Replacements(long died, long timedOut, long recycled) {
      this(died, timedOut, recycled, 0);
    }

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Replacements {
      if (died < 0 || timedOut < 0 || recycled < 0 || overMemory < 0) {
        throw new IllegalArgumentException("replacement counts must be >= 0: died=" + died + ", timedOut="
            + timedOut + ", recycled=" + recycled + ", overMemory=" + overMemory);
      }
    }

    /** {@return every replacement, whatever the reason} */
    public long total() {
      return died + timedOut + recycled + overMemory;
    }
  }

  /**
   * How long chunks took from dispatch to their result (queueing, transport and running),
   * measured on a sample of chunks: every chunk of 64 items or more, and otherwise about one chunk
   * in 64 (a clock read costs as much as a tiny item), always including a call's first chunk.
   *
   * <p>{@link #count()} and {@link #total()} cover every sampled chunk since the pool was built
   * (their ratio is the mean); the percentiles cover the samples of the last {@link #window()},
   * at most the latest 1,024, and are zero when there are none.
   *
   * @param count sampled chunks since the pool was built
   * @param total their summed latency
   * @param p50 the median latency in the window (nearest rank)
   * @param p99 the 99th percentile in the window (nearest rank)
   * @param max the largest latency in the window
   * @param windowSamples how many samples the percentiles are computed from
   * @param window how far back the percentiles look
   * @since 0.1
   */
  public record Latency(long count, Duration total, Duration p50, Duration p99, Duration max, int windowSamples,
      Duration window) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is negative or null, or the percentiles are out of order
     */
    public Latency {
      Objects.requireNonNull(total, "total");
      Objects.requireNonNull(p50, "p50");
      Objects.requireNonNull(p99, "p99");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(window, "window");
      if (count < 0 || windowSamples < 0 || total.isNegative() || p50.isNegative() || p99.compareTo(p50) < 0
          || max.compareTo(p99) < 0) {
        throw new IllegalArgumentException("latency must be >= 0 with p50 <= p99 <= max: count=" + count
            + ", p50=" + p50 + ", p99=" + p99 + ", max=" + max + ", windowSamples=" + windowSamples);
      }
    }
  }
}
