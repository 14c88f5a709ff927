package io.github.multiproc.spi;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The future of one run that tells its dispatch's completion callback itself, in the thread that
 * completes it, with no dependent stage: how a backend keeps {@link ChunkDispatcher}'s order rule
 * without attaching {@code whenComplete} to a future that may already be running.
 *
 * {@snippet :
 * public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
 *     BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
 *   ChunkFuture<R> run = new ChunkFuture<>(whenDone) {
 *     protected void stop() { worker.cancel(chunkId); } // cancel(true) won: stop the work
 *   };
 *   worker.send(chunk, run);  // the worker's reader later calls run.complete(result)
 *   return run;
 * }
 * }
 *
 * <p>{@link #complete}, {@link #completeExceptionally} and {@link #cancel} tell the callback
 * exactly once, for the one outcome {@code CompletableFuture} lets win, and after the future is
 * done. A cancellation first calls {@link #stop()}, then tells the callback. What the callback or
 * {@code stop()} throws is logged and dropped: {@code cancel} never throws, so an engine that
 * cancels the rest of a call after a failure still reports that failure. Dependent stages ({@code thenApply} and the like) are plain
 * {@code CompletableFuture}s.
 *
 * <p><b>Thread safety.</b> Thread-safe, as {@code CompletableFuture}: any thread may complete or
 * cancel it; the callback runs in the thread whose completion won. <b>Memory consistency
 * effects:</b> actions before completing it <i>happen-before</i> the callback runs.
 *
 * @param <R> the result type
 * @since 0.1
 */
public class ChunkFuture<R> extends CompletableFuture<ChunkResult<R>> {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ChunkFuture.class);
  }

  private final BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone;

  /**
   * Creates an incomplete future that will tell {@code whenDone} how it ended.
   *
   * @param whenDone the dispatch's completion callback
   */
  public ChunkFuture(BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
    this.whenDone = Objects.requireNonNull(whenDone, "whenDone");
  }

  /**
   * Completes the run with its result and, if this completion won, tells the callback.
   *
   * @param result the chunk's result
   * @return whether this call completed the future
   */
  @Override
  public final boolean complete(ChunkResult<R> result) {
    boolean won = super.complete(result);
    if (won) {
      tell(result, null);
    }
    return won;
  }

  /**
   * Fails the whole run and, if this completion won, tells the callback.
   *
   * @param failure why no item could run
   * @return whether this call completed the future
   */
  @Override
  public final boolean completeExceptionally(Throwable failure) {
    boolean won = super.completeExceptionally(failure);
    if (won) {
      tell(null, failure);
    }
    return won;
  }

  /**
   * Cancels the run: if this cancellation won, calls {@link #stop()}, then tells the callback with
   * a {@link CancellationException}.
   *
   * @param mayInterruptIfRunning ignored: {@link #stop()} decides how the work stops
   * @return true if the future is cancelled, also when it already was (as
   *     {@code CompletableFuture} answers)
   */
  @Override
  public final boolean cancel(boolean mayInterruptIfRunning) {
    CancellationException cancellation = new CancellationException("chunk cancelled");
    boolean won = super.completeExceptionally(cancellation); // isCancelled() is true after this
    if (won) {
      try {
        stop();
      } catch (RuntimeException e) { // the run is cancelled either way; the caller's failure must not be replaced
        Log.LOG.warn("stopping a cancelled chunk failed; it stays cancelled", e);
      }
      tell(null, cancellation); // after stop(): nothing the callback does can skip it
    }
    return won || isCancelled();
  }

  /**
   * Stops the run's work after {@link #cancel} won: interrupt the thread running it, drop it from a
   * queue, send the worker a cancel message. Runs once, in the cancelling thread, before the
   * callback is told. What it throws (say, the worker is already gone) is logged; the future stays
   * cancelled. Does nothing unless overridden.
   */
  protected void stop() {}

  /**
   * Returns a plain future for dependent stages, so they carry no callback of their own.
   *
   * @param <U> the stage's value type
   * @return a new incomplete {@code CompletableFuture}
   */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  private void tell(ChunkResult<R> result, Throwable failure) {
    try {
      whenDone.accept(result, failure);
    } catch (Throwable t) {
      Log.LOG.error("a chunk's completion callback threw; ignored", t);
    }
  }
}
