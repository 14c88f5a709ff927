package io.github.multiproc.internal;

/**
 * Chooses how many inputs go into the next chunk of one call.
 *
 * <ul>
 * <li><b>fixed</b>: the size the caller set.
 * <li><b>known total</b>: {@code ceil(total / (4 * workers))}, Python's {@code Pool.map} rule,
 *     capped for lazy calls so their memory stays bounded.
 * <li><b>adaptive</b> (unknown total): 1 until the first chunk reports its run time, then the
 *     size that makes a chunk take about {@link #TARGET_CHUNK_NANOS}, growing at most twofold per
 *     chunk, never above the cap.
 * </ul>
 *
 * <p>Thread safety: {@link #next()} is called by the caller's thread; {@link #record} from
 * completion threads. The estimate is guarded by this object's monitor.
 */
final class ChunkSizer {

  /** The run time an adaptive chunk aims at: long enough to amortize dispatch, short enough to balance. */
  static final long TARGET_CHUNK_NANOS = 2_000_000;

  private final int fixed;
  private final int cap;
  private double nanosPerItem = -1; // guarded by this
  private int last = 1; // caller thread only

  private ChunkSizer(int fixed, int cap) {
    this.fixed = fixed;
    this.cap = cap;
  }

  static ChunkSizer fixed(int size) {
    return new ChunkSizer(size, size);
  }

  static ChunkSizer forKnownTotal(long total, int workers, int cap) {
    long size = Math.ceilDiv(Math.max(total, 1), 4L * Math.max(workers, 1));
    return fixed((int) Math.max(1, Math.min(size, cap)));
  }

  static ChunkSizer adaptive(int cap) {
    return new ChunkSizer(0, cap);
  }

  int next() {
    if (fixed > 0) {
      return fixed;
    }
    double perItem;
    synchronized (this) {
      perItem = nanosPerItem;
    }
    if (perItem < 0) {
      return 1;
    }
    double wanted = TARGET_CHUNK_NANOS / Math.max(perItem, 1.0);
    last = (int) Math.max(1, Math.min(Math.min(wanted, cap), 2L * last));
    return last;
  }

  void record(int items, long executionNanos) {
    if (fixed > 0 || executionNanos < 0 || items <= 0) {
      return;
    }
    double perItem = (double) executionNanos / items;
    synchronized (this) {
      nanosPerItem = nanosPerItem < 0 ? perItem : 0.7 * nanosPerItem + 0.3 * perItem;
    }
  }
}
