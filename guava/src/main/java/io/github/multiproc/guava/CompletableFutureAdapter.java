package io.github.multiproc.guava;

import com.google.common.util.concurrent.AbstractFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link com.google.common.util.concurrent.ListenableFuture} that mirrors a
 * {@link CompletableFuture}: it completes with the source's value or exception, and cancelling it
 * cancels the source with the same {@code mayInterruptIfRunning} (so {@code cancel(true)} stops a
 * pool's task, {@code cancel(false)} does not interrupt it).
 *
 * <p>Thread-safe, as {@link AbstractFuture}. Actions before the source completes
 * <i>happen-before</i> this future's listeners run.
 *
 * @param <V> the value type
 */
final class CompletableFutureAdapter<V> extends AbstractFuture<V> {

  private final CompletableFuture<? extends V> source;

  private CompletableFutureAdapter(CompletableFuture<? extends V> source) {
    this.source = source;
  }

  static <V> CompletableFutureAdapter<V> of(CompletableFuture<? extends V> source) {
    CompletableFutureAdapter<V> adapter = new CompletableFutureAdapter<>(source);
    source.whenComplete((value, error) -> {
      if (error == null) {
        adapter.set(value);
      } else if (error instanceof CancellationException) {
        adapter.cancel(false);
      } else {
        adapter.setException(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      }
    });
    return adapter;
  }

  @Override
  protected void afterDone() {
    if (isCancelled()) {
      source.cancel(wasInterrupted());
    }
  }
}
