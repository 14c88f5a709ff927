package io.github.multiproc.internal;

import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The engine's record of one run: a dispatched chunk, its future, and whether the caller has
 * consumed it. It is also the run's completion callback (it passes the outcome to the call's
 * {@link CompletionSink}) and its own link in the sink's {@link CompletionQueue}, so a run costs
 * no lambda and no queue node.
 *
 * {@snippet :
 * ChunkRun<T, R> run = new ChunkRun<>(sink, chunk);
 * run.future = dispatcher.dispatch(chunk, run); // run.accept(...) may be called before this returns
 * }
 *
 * <p><b>Threads and visibility.</b> {@link #future} and {@link #consumed} belong to the caller's
 * thread. {@link #delivered} is written by the completing thread after the chunk's values are in
 * the call's result array (a volatile write): whoever reads it true sees those values. The caller
 * may see the future done before {@code delivered} is set, and then gathers the same values
 * itself from the result.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
final class ChunkRun<T, R> extends CompletionQueue.Node implements BiConsumer<ChunkResult<R>, Throwable> {

  final CompletionSink<T, R> sink;
  final Chunk<T> chunk;
  /** What {@code dispatch} returned; set and read by the caller's thread only. */
  CompletableFuture<ChunkResult<R>> future;
  /** Whether the caller took this run's result (or gave up on it); caller's thread only. */
  boolean consumed;
  /** Written by the completing thread once the chunk's values are in the result array. */
  volatile boolean delivered;

  ChunkRun(CompletionSink<T, R> sink, Chunk<T> chunk) {
    this.sink = sink;
    this.chunk = chunk;
  }

  /** The run's completion callback: runs once, in the thread that completed the future. */
  @Override
  public void accept(ChunkResult<R> result, Throwable error) {
    sink.onComplete(this, result);
  }
}
