package io.github.multiproc.internal;

import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The future {@code submit} returns: the completion callback of the job's one-item run, which it
 * completes from, and the handle that passes {@code cancel(true)} on to the run so the backend
 * stops the job. Dependent stages are plain {@link CompletableFuture}s.
 *
 * {@snippet :
 * SubmitFuture<R> future = new SubmitFuture<>(dispatcher);
 * future.started(dispatcher.dispatch(Chunk.ofJob(), future)); // or dispatcher.close() if dispatch threw
 * return future;
 * }
 *
 * <p>The dispatcher is closed once both the run was told done and {@link #started} was called:
 * the callback may run inside {@code dispatch}, and the SPI closes a dispatcher only after its
 * last dispatch returned.
 *
 * <p>Thread safety: thread-safe; {@link #started} is called once, by the submitting thread.
 *
 * @param <R> the job's result type
 */
public final class SubmitFuture<R> extends CompletableFuture<R>
    implements BiConsumer<ChunkResult<R>, Throwable> {

  private final ChunkDispatcher<?, R> dispatcher;
  private final AtomicInteger toClose = new AtomicInteger(2); // the callback and started()
  private volatile CompletableFuture<ChunkResult<R>> run; // set by started(), before the caller sees this

  /**
   * Creates the future of a job about to be dispatched.
   *
   * @param dispatcher the job's call, closed once the run ended
   */
  public SubmitFuture(ChunkDispatcher<?, R> dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Links the run that {@code dispatch} returned, so that {@code cancel} reaches it.
   *
   * @param run the job's run
   */
  public void started(CompletableFuture<ChunkResult<R>> run) {
    this.run = run;
    closeIfLast();
  }

  /** The run's completion callback: completes this future from the job's one item. */
  @Override
  public void accept(ChunkResult<R> result, Throwable error) {
    try {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error; // the SPI passes it unwrapped; a backend that breaks that is not the job's fault
        if (!(cause instanceof CancellationException)) {
          completeExceptionally(cause);
        }
      } else if (result.failed(0)) {
        completeExceptionally(result.failure(0));
      } else {
        complete(result.value(0));
      }
    } finally {
      closeIfLast();
    }
  }

  private void closeIfLast() {
    if (toClose.decrementAndGet() == 0) {
      dispatcher.close();
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    CompletableFuture<ChunkResult<R>> r = run;
    if (cancelled && r != null) {
      r.cancel(true);
    }
    return cancelled;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
