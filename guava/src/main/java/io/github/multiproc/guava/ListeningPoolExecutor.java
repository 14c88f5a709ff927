package io.github.multiproc.guava;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import io.github.multiproc.PoolExecutorService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ListeningExecutorService} of a pool: its {@link PoolExecutorService} view, with every
 * future a {@link ListenableFuture}. Semantics — serializable tasks for process and cluster
 * backends, refused at submit otherwise; one lifecycle with the pool; {@code cancel(false)} never
 * interrupts — are the view's.
 *
 * <p>Thread-safe; holds nothing but the view.
 */
final class ListeningPoolExecutor implements ListeningExecutorService {

  private final PoolExecutorService view;

  ListeningPoolExecutor(PoolExecutorService view) {
    this.view = view;
  }

  @Override
  public <T> ListenableFuture<T> submit(Callable<T> task) {
    return CompletableFutureAdapter.of(view.submit(task));
  }

  @Override
  public ListenableFuture<?> submit(Runnable task) {
    return CompletableFutureAdapter.of(view.submit(task));
  }

  @Override
  public <T> ListenableFuture<T> submit(Runnable task, T result) {
    return CompletableFutureAdapter.of(view.submit(task, result));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    return listenable(view.invokeAll(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return listenable(view.invokeAll(tasks, timeout, unit));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    return view.invokeAny(tasks);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return view.invokeAny(tasks, timeout, unit);
  }

  @Override
  public void execute(Runnable command) {
    view.execute(command);
  }

  @Override
  public void shutdown() {
    view.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return view.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return view.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return view.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return view.awaitTermination(timeout, unit);
  }

  @Override
  public void close() {
    view.close();
  }

  @Override
  public String toString() {
    return "Listening" + view;
  }

  /** invokeAll's futures are all done: each becomes an immediate ListenableFuture of the same outcome. */
  private static <T> List<Future<T>> listenable(List<Future<T>> done) {
    List<Future<T>> out = new ArrayList<>(done.size());
    for (Future<T> f : done) {
      out.add(immediate(f));
    }
    return out;
  }

  private static <T> ListenableFuture<T> immediate(Future<T> done) {
    if (done.isCancelled()) {
      return Futures.immediateCancelledFuture();
    }
    try {
      return Futures.immediateFuture(Futures.getDone(done));
    } catch (ExecutionException e) {
      return Futures.immediateFailedFuture(e.getCause());
    } catch (CancellationException e) {
      return Futures.immediateCancelledFuture();
    }
  }
}
