package io.github.multiproc.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A backend's side of one {@code map}/{@code imap}/{@code imapUnordered}/{@code submit} call:
 * it runs the call's chunks. Opened by {@link AbstractPool#openCall} with the call's task, so a
 * backend can ship the task to each worker once per call rather than once per chunk.
 *
 * <p>Words used here and across the modules: a <em>call</em> is one {@code map} (or {@code imap},
 * {@code imapUnordered}, {@code submit}); a {@link Chunk} is a slice of the call's inputs; a
 * <em>run</em> is one chunk's trip through the backend, from {@link #dispatch} to its one
 * outcome. A backend that tries a run again elsewhere (a worker died) makes several
 * <em>attempts</em> of one run.
 *
 * {@snippet :
 * final class InlineDispatcher<T, R> implements ChunkDispatcher<T, R> {
 *   private final Task<? super T, ? extends R> task;
 *   InlineDispatcher(Task<? super T, ? extends R> task) { this.task = task; }
 *
 *   public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
 *       BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
 *     ChunkFuture<R> run = new ChunkFuture<>(whenDone); // tells whenDone as it completes
 *     ChunkResult<R> result = new ChunkResult<>(chunk.size());
 *     for (int i = 0; i < chunk.size(); i++) {
 *       try { result.succeed(i, task.apply(chunk.items().get(i))); } catch (Exception e) { result.fail(i, e); }
 *     }
 *     run.complete(result); // whenDone runs here, before dispatch returns: allowed
 *     return run;
 *   }
 *
 *   public void close() {}
 * }
 * }
 *
 * <p><b>Contract.</b> {@link #dispatch} returns at once with a future that completes with the
 * chunk's {@link ChunkResult} (one outcome per item, never exceptionally for a task's own
 * failure). The future may complete exceptionally only when the whole chunk could not run (for
 * example the pool was closed); the engine then fails the chunk's first item with that
 * exception. When the engine cancels the future ({@code cancel(true)}) the backend must stop the
 * chunk's work: interrupt running items, drop queued ones; {@code cancel} must not throw (a worker
 * already gone is nothing to stop), or it would replace the failure the engine is reporting. {@link #close()} is called exactly once,
 * after the last dispatch of the call, when every future is done or cancelled.
 *
 * <p><b>The order rule</b> for the completion callback {@code whenDone}, which the engine relies
 * on:
 * <ol>
 * <li>It is called exactly once for every {@code dispatch} that returned, and never for one that
 *     threw.
 * <li>It is called only <em>after</em> the returned future is done: the backend completes the
 *     future, then calls {@code whenDone}. The converse does not hold: a thread may see the future
 *     done before {@code whenDone} ran, and must then wait for the callback if it needs what the
 *     callback does (the engine's progress reports).
 * <li>It is told {@code (result, null)} when the future completed normally, {@code (null,
 *     failure)} with the failure the future holds (not wrapped in a
 *     {@link java.util.concurrent.CompletionException}) when it completed exceptionally, and a
 *     {@link java.util.concurrent.CancellationException} when it was cancelled.
 * <li>It may run on any thread, including the caller's inside {@code dispatch}, before
 *     {@code dispatch} returns.
 * <li>The backend takes it before the chunk can start, so nobody writes to the future while the
 *     chunk runs: no dependent stage is made per chunk and no cache line bounces between the
 *     caller and the running thread (registering a callback on a future that a worker thread is
 *     completing measured 1.5&times; the per-item cost of {@code invokeAll} on two cores;
 *     {@code docs/performance-log.md}).
 * <li>{@code whenDone} must not block. What it throws is a bug in it: the backend logs or drops
 *     it, and it neither changes the chunk's outcome nor skips stopping the chunk's work.
 * </ol>
 * {@link ChunkFuture} keeps rules 1 to 3 and 6 for a backend that completes its own future.
 *
 * <p><b>Threading.</b> {@code dispatch} is called by the caller's thread, one chunk at a time;
 * {@code close} may be called from any thread, after the last {@code dispatch} returned; futures
 * may be completed on any thread.
 *
 * <p><b>Memory consistency effects.</b> Actions of the caller before {@code dispatch}
 * <i>happen-before</i> the chunk's items run; the backend's actions before it completes the
 * future (filling the {@code ChunkResult}) <i>happen-before</i> {@code whenDone} runs and before
 * any thread sees the future done.
 *
 * @param <T> the input type
 * @param <R> the result type
 * @since 0.1
 */
public interface ChunkDispatcher<T, R> extends AutoCloseable {

  /**
   * Starts running a chunk and tells {@code whenDone} once how it ended, following the order rule
   * in the class comment.
   *
   * @param chunk the inputs
   * @param whenDone told the result, or the failure of the whole chunk, exactly once, after the
   *     returned future is done
   * @return the future result, one outcome per item; {@code cancel(true)} stops the chunk
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   * @throws RuntimeException if the chunk cannot be sent, such as a non-serializable input
   */
  CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone);

  /** Ends the call: per-call state (such as the task cached in workers) may be released. */
  @Override
  void close();
}
