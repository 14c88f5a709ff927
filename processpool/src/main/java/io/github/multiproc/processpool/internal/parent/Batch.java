package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run of a chunk's items sent to a worker in one {@code TASKS} frame: items
 * {@code [from, from + count)} of its {@link PoolRun}. A chunk travels as one batch unless
 * some of its inputs do not encode (they fail alone), the run does not fit in one frame (it is
 * halved), or a worker answered only part of it (it stopped after a timeout; the rest goes out
 * as a new batch).
 *
 * <p>Thread safety: the fields are fixed at creation except {@link #attempts} and
 * {@link #recalled}, which only the scheduler's thread touches.
 */
final class Batch {
  final long id;
  final PoolCall call;
  final PoolRun<?> chunk;
  final int from;
  final int count;
  final ParentMessage.Tasks tasks;
  private final AtomicBoolean settled = new AtomicBoolean();
  int attempts; // scheduler thread only
  boolean recalled; // scheduler thread only

  Batch(long id, PoolRun<?> chunk, int from, int count, byte[] payload) {
    this.id = id;
    this.call = chunk.call;
    this.chunk = chunk;
    this.from = from;
    this.count = count;
    this.tasks = ParentMessage.Tasks.of(id, payload);
  }

  /** @return the call's input index of item {@code i} of this batch */
  long indexOf(int i) {
    return chunk.chunk.indexOf(from + i);
  }

  /**
   * Claims the right to resolve this batch's items: its decoder and its decode deadline race for
   * it, and only the winner writes.
   *
   * @return true once, for the first caller
   */
  boolean settle() {
    return settled.compareAndSet(false, true);
  }

  boolean isCancelled() {
    return chunk.future.isCancelled();
  }

  @Override
  public String toString() {
    return call.isJob() ? "batch " + id + " (the submitted job)"
        : "batch " + id + " (" + count + " item(s) from input #" + indexOf(0) + ")";
  }
}
