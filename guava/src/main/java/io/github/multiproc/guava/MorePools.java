package io.github.multiproc.guava;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import io.github.multiproc.Job;
import io.github.multiproc.Pool;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Guava for multiproc pools, as {@code MoreExecutors} is for executors: a
 * {@link ListeningExecutorService} view of any {@link Pool}, and {@link ListenableFuture}s for its
 * jobs.
 *
 * {@snippet :
 * try (Pool pool = ProcessPool.create(4)) {
 *   ListeningExecutorService executor = MorePools.listeningDecorator(pool);
 *   ListenableFuture<Long> pid = executor.submit((Callable<Long> & Serializable) () -> ProcessHandle.current().pid());
 *   ListenableFuture<String> text = Futures.transform(pid, p -> "worker " + p, MoreExecutors.directExecutor());
 *
 *   ListenableFuture<Integer> answer = MorePools.submit(pool, () -> 6 * 7);   // a Job, as Pool.submit takes
 * }
 * }
 *
 * <p>Unlike {@code MoreExecutors.listeningDecorator(pool.asExecutorService())}, which would hand
 * the pool its own non-serializable wrapper of each task, these send the user's task itself, so
 * they work on process and cluster backends: a {@code Runnable} or {@code Callable} must then be
 * serializable and one that is not is refused at submit, with the class and field path. The
 * executor is a view: it shares the pool's lifecycle ({@code shutdown()} closes the pool once
 * accepted work is done; see {@link io.github.multiproc.PoolExecutorService}).
 *
 * <p>Stateless and thread-safe. Cancelling a returned future cancels the task:
 * {@code cancel(true)} interrupts it, in a worker JVM too. Memory consistency effects are those of
 * {@link Pool}: a task's actions <i>happen-before</i> its future's listeners run.
 *
 * @since 0.1
 */
public final class MorePools {

  private MorePools() {}

  /**
   * Returns the pool as a Guava {@link ListeningExecutorService}: its
   * {@link Pool#asExecutorService()} view whose futures are {@link ListenableFuture}s (those of
   * {@code invokeAll} too).
   *
   * @param pool any pool
   * @return the listening view; it shares the pool's lifecycle
   */
  public static ListeningExecutorService listeningDecorator(Pool pool) {
    return new ListeningPoolExecutor(Objects.requireNonNull(pool, "pool").asExecutorService());
  }

  /**
   * Runs a job on a pool, as {@link Pool#submit(Job)} does, and returns its result as a
   * {@link ListenableFuture}.
   *
   * @param pool the pool
   * @param job the job; serializable like every {@link Job}
   * @param <R> the result type
   * @return its future
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   */
  public static <R> ListenableFuture<R> submit(Pool pool, Job<? extends R> job) {
    return listenable(Objects.requireNonNull(pool, "pool").submit(job));
  }

  /**
   * Adapts a {@link CompletableFuture}, such as a pool's, to a {@link ListenableFuture}: it
   * completes as the source does, and cancelling it cancels the source with the same
   * {@code mayInterruptIfRunning}.
   *
   * @param future the source
   * @param <V> the value type
   * @return the adapter
   */
  public static <V> ListenableFuture<V> listenable(CompletableFuture<? extends V> future) {
    return CompletableFutureAdapter.of(Objects.requireNonNull(future, "future"));
  }
}
