package io.github.multiproc.internal;

import io.github.multiproc.PoolStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latest chunk latencies of a pool, for percentiles over a recent window, in fixed memory: a
 * ring of {@value #CAPACITY} samples, each a latency and the time it was taken, plus a cumulative
 * count and sum.
 *
 * <pre>
 *   record(latency, now):  i = cursor++ mod 1024;  latencies[i] = latency;  ends[i] = now
 *   snapshot(now):         the samples with end >= now - window, sorted; nearest-rank p50, p99, max
 * </pre>
 *
 * <p>No lock and no allocation when recording: one contended increment (the cursor) and two
 * ordered stores. A snapshot copies and sorts at most 1,024 longs. A snapshot taken while a slot
 * is being rewritten may pair one sample's latency with another's time; that shifts at most a
 * sample in or out of the window, which percentiles of a recent window tolerate.
 *
 * <p>Thread safety: {@link #record} from any number of threads at once; {@link #snapshot} from any
 * thread.
 */
final class LatencyWindow {

  /** The most samples kept. A power of two. */
  static final int CAPACITY = 1024;

  private final Duration window;
  private final AtomicLongArray latencies = new AtomicLongArray(CAPACITY);
  private final AtomicLongArray ends = new AtomicLongArray(CAPACITY);
  private final AtomicLong cursor = new AtomicLong();
  private final LongAdder count = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();

  /**
   * @param window how far back percentiles look
   */
  LatencyWindow(Duration window) {
    this.window = window;
  }

  /**
   * Records one sample.
   *
   * @param latencyNanos the latency, clamped at 0
   * @param endNanos {@link System#nanoTime()} when it was taken
   */
  void record(long latencyNanos, long endNanos) {
    long latency = Math.max(0, latencyNanos);
    int i = (int) (cursor.getAndIncrement() & (CAPACITY - 1));
    ends.setRelease(i, Long.MIN_VALUE); // out of every window while it is rewritten
    latencies.setRelease(i, latency);
    ends.setRelease(i, endNanos);
    count.increment();
    totalNanos.add(latency);
  }

  /**
   * Summarizes the samples.
   *
   * @param nowNanos {@link System#nanoTime()} now
   * @return the cumulative count and sum, and percentiles over the window
   */
  PoolStats.Latency snapshot(long nowNanos) {
    int n = (int) Math.min(cursor.get(), CAPACITY);
    long[] in = new long[n];
    int k = 0;
    long from = nowNanos - window.toNanos();
    for (int i = 0; i < n; i++) {
      long end = ends.getAcquire(i);
      if (end != Long.MIN_VALUE && end - from >= 0) {
        in[k++] = latencies.getAcquire(i);
      }
    }
    Arrays.sort(in, 0, k);
    return new PoolStats.Latency(count.sum(), Duration.ofNanos(totalNanos.sum()), rank(in, k, 0.50),
        rank(in, k, 0.99), k == 0 ? Duration.ZERO : Duration.ofNanos(in[k - 1]), k, window);
  }

  /** Nearest rank: the smallest sample with at least {@code p} of the samples at or below it. */
  private static Duration rank(long[] sorted, int n, double p) {
    if (n == 0) {
      return Duration.ZERO;
    }
    int r = (int) Math.ceil(p * n);
    return Duration.ofNanos(sorted[Math.max(0, r - 1)]);
  }
}
