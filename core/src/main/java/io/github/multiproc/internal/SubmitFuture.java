package io.github.multiproc.internal;

import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.slf4j.LoggerFactory;

/**
 * The future {@code submit} returns: completes from a one-item chunk, and passes
 * {@code cancel(true)} on to the chunk so the backend stops the job. Dependent stages are plain
 * {@link CompletableFuture}s.
 *
 * @param <R> the job's result type
 */
public final class SubmitFuture<R> extends CompletableFuture<R> {

  private final CompletableFuture<?> chunk;

  private SubmitFuture(CompletableFuture<?> chunk) {
    this.chunk = chunk;
  }

  /**
   * Links a future to a one-item chunk and closes the dispatcher when the chunk is done.
   *
   * @param chunk the chunk holding the job
   * @param dispatcher the call's dispatcher
   * @param observer told the chunk's result or failure (unwrapped) before the caller's future
   *     completes, such as the pool's counters; what it throws is ignored
   * @param <R> the job's result type
   * @return the caller's future
   */
  public static <R> SubmitFuture<R> of(CompletableFuture<ChunkResult<R>> chunk,
      ChunkDispatcher<?, R> dispatcher, BiConsumer<? super ChunkResult<R>, ? super Throwable> observer) {
    SubmitFuture<R> future = new SubmitFuture<>(chunk);
    chunk.whenComplete((result, error) -> {
      try {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        try {
          observer.accept(result, cause);
        } catch (RuntimeException e) { // a bug in the observer must not lose the job's outcome
          LoggerFactory.getLogger(SubmitFuture.class).error("a submitted job's observer threw; ignored", e);
        }
        if (error != null) {
          if (!(cause instanceof CancellationException)) {
            future.completeExceptionally(cause);
          }
        } else if (result.failed(0)) {
          future.completeExceptionally(result.failure(0));
        } else {
          future.complete(result.value(0));
        }
      } finally {
        dispatcher.close();
      }
    });
    return future;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      chunk.cancel(true);
    }
    return cancelled;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
