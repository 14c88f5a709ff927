package io.github.multiproc.internal;

import io.github.multiproc.PoolStats;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pool's item counters and chunk latencies, recorded by the engine for every backend, and the
 * {@link PoolStats} snapshot built from them and the backend's own figures.
 *
 * <pre>
 *   caller, per chunk:        start = PoolMeter.startNanos(chunk)     0, or a clock read (sampled)
 *   completing thread, once:  meter.chunkDone(chunk, result, error, start)
 *                               items: LongAdder add (striped: no lock, no shared line once contended)
 *                               failed items: only when the result holds a failure
 *                               latency: only when sampled (LatencyWindow, fixed memory)
 *   any thread:               meter.snapshot(backendStats)
 * </pre>
 *
 * <p>A clock read costs as much as a tiny item on a virtual machine (100-300 ns measured on the
 * project's 2-core VM), so latencies are sampled: every chunk of {@value #SAMPLE_EVERY} items or
 * more, otherwise the chunks whose first index is a multiple of {@value #SAMPLE_EVERY} (a call's
 * first chunk always), and about one submitted job in 8. Nothing is allocated per item or chunk.
 *
 * <p>Thread safety: thread-safe; {@link #chunkDone} from any number of threads at once.
 */
public final class PoolMeter {

  /** How far back the latency percentiles look. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  /** One chunk in this many is timed (chunks at least this large always are). A power of two. */
  static final int SAMPLE_EVERY = 64;

  private static final int JOB_SAMPLE_EVERY = 8;

  private final String pool;
  private final LongAdder itemsCompleted = new LongAdder();
  private final LongAdder itemsFailed = new LongAdder();
  private final LatencyWindow latency = new LatencyWindow(WINDOW);

  /**
   * Creates the meter of one pool.
   *
   * @param pool the pool's name, for JFR events
   */
  public PoolMeter(String pool) {
    this.pool = pool;
  }

  /** {@return the pool's name} */
  public String pool() {
    return pool;
  }

  /**
   * Returns the start time to store with a chunk about to be dispatched, if it is sampled.
   *
   * @param chunk the chunk
   * @return {@link System#nanoTime()} for a sampled chunk, else 0
   */
  public static long startNanos(Chunk<?> chunk) {
    return chunk.size() >= SAMPLE_EVERY || (chunk.firstIndex() & (SAMPLE_EVERY - 1)) == 0 ? System.nanoTime() : 0;
  }

  /** {@return the start time to store with a submitted job, if it is sampled, else 0} */
  public static long jobStartNanos() {
    return ThreadLocalRandom.current().nextInt(JOB_SAMPLE_EVERY) == 0 ? System.nanoTime() : 0;
  }

  /**
   * Records how a chunk ended: its items (when it has a result, or failed as a whole) and, if it
   * was sampled, its latency. Cancelled chunks count no item.
   *
   * @param chunk the chunk
   * @param result its result, or null
   * @param error why it has no result, or null
   * @param startNanos what {@link #startNanos} returned for it
   */
  public void chunkDone(Chunk<?> chunk, ChunkResult<?> result, Throwable error, long startNanos) {
    if (result != null) {
      itemsCompleted.add(result.size()); // before the failures: a snapshot never sees more failed than completed
      int first = result.firstFailure();
      if (first >= 0) {
        int failed = 0;
        for (int i = first; i < result.size(); i++) {
          if (result.failed(i)) {
            failed++;
          }
        }
        itemsFailed.add(failed);
      }
    } else if (error != null && !(error instanceof CancellationException)) {
      itemsCompleted.add(chunk.size()); // the whole chunk failed
      itemsFailed.add(chunk.size());
    }
    if (startNanos != 0) {
      long end = System.nanoTime();
      latency.record(end - startNanos, end);
    }
  }

  /**
   * Builds a snapshot from the backend's figures and this meter's counters.
   *
   * @param backend the backend's figures
   * @return the snapshot
   */
  public PoolStats snapshot(BackendStats backend) {
    long failed = itemsFailed.sum(); // first: each recorder adds completed before failed
    long completed = itemsCompleted.sum();
    int workers = backend.workers();
    int starting = Math.min(backend.startingWorkers(), workers);
    int busy = Math.min(backend.busyWorkers(), workers - starting);
    return new PoolStats(workers, busy, workers - busy - starting, starting, backend.chunksQueued(),
        backend.chunksInFlight(), Math.max(completed, failed), failed, backend.replacements(),
        latency.snapshot(System.nanoTime()));
  }
}
