package io.github.multiproc.processpool.internal.parent;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Keeps the TASKS payloads of answered batches for the next batches of the same size: a map's
 * chunks are mostly of one size, so each map encodes its inputs into the arrays the previous map's
 * answered batches left, instead of allocating them again (for 100,000 ints, 0.4 MB per map that a
 * fresh parent pays for in first-touch page faults while its young generation grows).
 *
 * <p>A payload may be given back only when nothing can read it again: its batch was answered by
 * the worker that held it (which read the whole frame, so its write is over), the answer was
 * decoded, and the batch is settled, so that it is never sent again. With injected faults, which
 * may hold or repeat a frame, the pool keeps no recycler.
 *
 * {@snippet :
 * byte[] into = recycler.take(size); // null: allocate
 * ...encode the batch into it, send it, have it answered and settled...
 * recycler.give(payload);
 * }
 *
 * <p>Thread safety: thread-safe (one lock, taken twice per batch).
 */
final class TasksRecycler {

  /** The most payloads kept; a map of two workers has a few batches in flight per worker. */
  static final int MAX_KEPT = 16;

  /** The largest payload kept: larger ones are rare, and would hold memory while the pool idles. */
  static final int MAX_BYTES = 1 << 20;

  private final ArrayDeque<byte[]> kept = new ArrayDeque<>();

  /**
   * Takes a kept payload of exactly {@code size} bytes, to be written over.
   *
   * @param size the bytes the payload will hold
   * @return an array of that length, or null if none is kept
   */
  synchronized byte[] take(int size) {
    for (Iterator<byte[]> it = kept.iterator(); it.hasNext(); ) {
      byte[] b = it.next();
      if (b.length == size) {
        it.remove();
        return b;
      }
    }
    return null;
  }

  /**
   * Keeps the payload of an answered, settled batch, unless it is large or enough are kept (the
   * oldest then goes).
   *
   * @param payload the payload, read by nothing any more
   */
  synchronized void give(byte[] payload) {
    if (payload.length > MAX_BYTES) {
      return;
    }
    if (kept.size() == MAX_KEPT) {
      kept.removeLast();
    }
    kept.addFirst(payload);
  }

  /** {@return how many payloads are kept} */
  synchronized int kept() {
    return kept.size();
  }
}
