package io.github.multiproc.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A backend's side of one {@code map}/{@code imap}/{@code imapUnordered}/{@code submit} call:
 * it runs the call's chunks. Opened by {@link AbstractPool#openCall} with the call's task, so a
 * backend can ship the task to each worker once per call rather than once per chunk.
 *
 * <p><b>Contract.</b> {@link #dispatch} returns at once with a future that completes with the
 * chunk's {@link ChunkResult} (one outcome per item, never exceptionally for a task's own
 * failure). The future may complete exceptionally only when the whole chunk could not run (for
 * example the pool was closed); the engine then fails the chunk's first item with that
 * exception. When the engine cancels the future ({@code cancel(true)}) the backend must stop the
 * chunk's work: interrupt running items, drop queued ones. {@link #close()} is called exactly once,
 * after the last dispatch of the call, when every future is done or cancelled.
 *
 * <p><b>Threading.</b> {@code dispatch} is called by the caller's thread, one chunk at a time;
 * {@code close} may be called from any thread, after the last {@code dispatch} returned; futures
 * may be completed on any thread.
 *
 * @param <T> the input type
 * @param <R> the result type
 * @since 0.1
 */
public interface ChunkDispatcher<T, R> extends AutoCloseable {

  /**
   * Starts running a chunk.
   *
   * @param chunk the inputs
   * @return the future result, one outcome per item
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   * @throws RuntimeException if the chunk cannot be sent, such as a non-serializable input
   */
  CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk);

  /**
   * Starts running a chunk and tells {@code whenDone} once how it ended, as
   * {@code dispatch(chunk).whenComplete(whenDone)} does, which is what this default does. A
   * backend whose chunks are short may override it to attach the callback to the future before
   * the chunk can start: then nobody writes to the future while it runs, and no dependent stage
   * is made per chunk ({@code ThreadPool} and {@code VirtualThreadPool} do this; on two cores it
   * is worth a third of the cost of a one-item chunk).
   *
   * <p>An override must keep two rules the engine relies on: {@code whenDone} is called exactly
   * once, and only <em>after</em> the returned future is done (the caller may check
   * {@code isDone()} and then wait for the callback). It runs in the thread that completes the
   * future, or, with this default, in whichever thread attaches it to a future already done.
   * {@code whenDone} must not block; what it throws is logged or dropped, never the chunk's
   * outcome; it is told of a cancellation with a {@link java.util.concurrent.CancellationException}.
   *
   * @param chunk the inputs
   * @param whenDone told the result, or the failure of the whole chunk, once
   * @return the future result, one outcome per item
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   * @throws RuntimeException if the chunk cannot be sent, such as a non-serializable input
   */
  default CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
    CompletableFuture<ChunkResult<R>> future = dispatch(chunk);
    future.whenComplete(whenDone);
    return future;
  }

  /** Ends the call: per-call state (such as the task cached in workers) may be released. */
  @Override
  void close();
}
