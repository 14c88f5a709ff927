package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * A chunk on its way through the process pool: the caller's future, and the items still
 * unresolved. Its items are resolved by batches, possibly from several threads (the event loop
 * fails items, decoder threads resolve answered ones); the future completes once, when the last
 * item is resolved.
 *
 * <p>A chunk answered by one batch adopts that batch's decoded result as its own (no copy, the
 * common case); otherwise each batch's items are copied into the chunk's result. A batch whose
 * decode was abandoned (past its deadline) wrote into a result of its own, so a late decoder can
 * never change what the caller sees.
 *
 * <p>Thread safety: thread-safe; the result is filled under this object's monitor and handed to
 * the caller by completing the future, which makes it visible.
 *
 * @param <R> the result type
 */
final class PoolRun<R> {
  final PoolCall call;
  final Chunk<?> chunk;
  final CompletableFuture<ChunkResult<R>> future = new CompletableFuture<>();
  private ChunkResult<R> result; // guarded by this
  private int unresolved; // guarded by this
  private long executionNanos; // guarded by this

  PoolRun(PoolCall call, Chunk<?> chunk) {
    this.call = call;
    this.chunk = chunk;
    this.unresolved = chunk.size();
  }

  /**
   * Resolves items {@code [from, from + part.size())} with a batch's decoded answers.
   *
   * @param from the first item
   * @param part the answers, positions from 0
   * @param nanos the time the worker spent on them
   */
  @SuppressWarnings("unchecked")
  void resolve(int from, ChunkResult<?> part, long nanos) {
    boolean done;
    synchronized (this) {
      if (result == null && from == 0 && part.size() == chunk.size()) {
        result = (ChunkResult<R>) part;
      } else {
        result().putAll(from, part); // ints stay ints
      }
      executionNanos += Math.max(0, nanos);
      unresolved -= part.size();
      done = unresolved == 0;
    }
    if (done) {
      complete();
    }
  }

  /**
   * Fails {@code n} items from {@code from}.
   *
   * @param from the first item
   * @param n how many
   * @param failure the failure of the item at each position of the run (from 0)
   */
  void fail(int from, int n, IntFunction<Throwable> failure) {
    boolean done;
    synchronized (this) {
      ChunkResult<R> r = result();
      for (int i = 0; i < n; i++) {
        r.fail(from + i, failure.apply(i));
      }
      unresolved -= n;
      done = unresolved == 0;
    }
    if (done) {
      complete();
    }
  }

  private ChunkResult<R> result() {
    if (result == null) {
      result = new ChunkResult<>(chunk.size());
    }
    return result;
  }

  private void complete() {
    ChunkResult<R> r;
    synchronized (this) {
      r = result.executionNanos(executionNanos);
    }
    future.complete(r);
  }
}
