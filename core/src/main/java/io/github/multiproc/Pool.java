package io.github.multiproc;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of workers that runs tasks over many inputs: the JVM's answer to Python's
 * {@code multiprocessing.Pool} and {@code concurrent.futures.Executor}.
 *
 * <p>Every backend offers the same contract, so switching between threads, virtual threads and
 * worker processes changes one line:
 *
 * {@snippet :
 * try (Pool pool = ThreadPool.create(4)) {               // or ProcessPool.create(4),
 *   List<Integer> squares = pool.map(x -> x * x, inputs); // or Pools.fromConfig()
 * }
 * }
 *
 * <table class="striped">
 * <caption>Backends</caption>
 * <tr><th>backend</th><th>workers are</th><th>memory</th><th>good for</th></tr>
 * <tr><td>{@link ThreadPool}</td><td>platform threads</td><td>shared with the caller</td>
 *     <td>CPU-bound work</td></tr>
 * <tr><td>{@link VirtualThreadPool}</td><td>virtual threads</td><td>shared with the caller</td>
 *     <td>work that mostly waits (I/O)</td></tr>
 * <tr><td>{@code ProcessPool} (module processpool)</td><td>worker JVMs</td><td>isolated: tasks,
 *     inputs and results are serialized</td><td>isolation: crashes, separate heaps and GC, native
 *     code, per-task JVM flags</td></tr>
 * </table>
 *
 * <h2>Semantics shared by all backends</h2>
 * <ul>
 * <li>{@link #map map} returns the results in input order. It fails fast: when a task throws on
 *     any input it cancels the rest of the call and throws {@link TaskFailedException} naming that
 *     input's index, with what the task threw as the cause.
 * <li>{@link #imap imap} is lazy and ordered: inputs are read from the iterable as results are
 *     consumed, with a bounded number of chunks in flight, so an endless input runs in bounded
 *     memory. Its iterator throws {@code TaskFailedException} at the position of a failed input,
 *     after yielding every result before it.
 * <li>{@link #imapUnordered imapUnordered} yields each input's result exactly once, in completion
 *     order.
 * <li>A caller interrupted while it waits inside {@code map} or an {@code imap} iterator cancels
 *     the rest of that call's work, keeps its interrupt status set and gets a
 *     {@link java.util.concurrent.CancellationException} whose cause is the
 *     {@link InterruptedException}.
 * <li>The input iterable is only ever read by the calling thread.
 * <li>A failing task never breaks the pool: later calls work as before.
 * <li>{@link #close close} lets accepted work finish, then releases every thread and process; it
 *     is idempotent. Any call after it fails with
 *     {@link java.util.concurrent.RejectedExecutionException}.
 * </ul>
 *
 * <p><b>Thread safety.</b> Pools are thread-safe: any number of threads may call {@code map},
 * {@code submit} and the others at once. A single {@code imap} iterator must be used by one
 * thread at a time.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread before it passes a task to the pool
 * <i>happen-before</i> the task runs, and the task's actions <i>happen-before</i> its result is
 * returned (by {@code map}, an iterator's {@code next}, or the future). For process backends the
 * task runs on a serialized copy, so only what travels in the task, its input and its result is
 * exchanged; nothing else is shared.
 *
 * @since 0.1
 */
public interface Pool extends AutoCloseable {

  /**
   * Applies {@code task} to every input and returns the results in input order, like Python's
   * {@code Pool.map}.
   *
   * @param task the function to apply
   * @param inputs the inputs; read once, by the calling thread
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in the order of {@code inputs}: an unmodifiable, random-access,
   *     serializable list. Its elements equal the task's results; they need not be the same
   *     objects (a process backend sends them as copies, and holds a run of {@code Integer}
   *     results as {@code int}s, boxed by each {@code get})
   * @throws TaskFailedException if the task threw on some input (the first failure seen)
   * @throws java.util.concurrent.CancellationException if the caller was interrupted
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   */
  default <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return map(task, inputs, MapOptions.defaults());
  }

  /**
   * {@link #map(Task, Iterable)} with options.
   *
   * @param task the function to apply
   * @param inputs the inputs
   * @param options chunk size, timeout, progress listener
   * @param <T> the input type
   * @param <R> the result type
   * @return the results, in the order of {@code inputs}
   * @throws UnsupportedOperationException if the options ask what this backend cannot do
   */
  <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, MapOptions options);

  /**
   * Lazily applies {@code task} to the inputs and yields the results in input order, like
   * Python's {@code Pool.imap}. At most a bounded number of chunks is in flight, so the inputs may
   * be endless.
   *
   * @param task the function to apply
   * @param inputs the inputs; read lazily, by the thread that iterates
   * @param <T> the input type
   * @param <R> the result type
   * @return an iterator over the results in input order; its {@code next} may throw
   *     {@link TaskFailedException}
   */
  default <T, R> Iterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return imap(task, inputs, MapOptions.defaults());
  }

  /**
   * {@link #imap(Task, Iterable)} with options.
   *
   * @param task the function to apply
   * @param inputs the inputs
   * @param options chunk size, timeout, progress listener, chunks in flight
   * @param <T> the input type
   * @param <R> the result type
   * @return an iterator over the results in input order
   */
  <T, R> Iterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> inputs, MapOptions options);

  /**
   * Like {@link #imap(Task, Iterable) imap}, but yields results as they complete, like Python's
   * {@code Pool.imap_unordered}. Each input's result is yielded exactly once.
   *
   * @param task the function to apply
   * @param inputs the inputs
   * @param <T> the input type
   * @param <R> the result type
   * @return an iterator over the results in completion order
   */
  default <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> inputs) {
    return imapUnordered(task, inputs, MapOptions.defaults());
  }

  /**
   * {@link #imapUnordered(Task, Iterable)} with options.
   *
   * @param task the function to apply
   * @param inputs the inputs
   * @param options chunk size, timeout, progress listener, chunks in flight
   * @param <T> the input type
   * @param <R> the result type
   * @return an iterator over the results in completion order
   */
  <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> inputs,
      MapOptions options);

  /**
   * Runs one job, like Python's {@code Executor.submit}.
   *
   * <p>The future completes with the job's result, or exceptionally with what the job threw (for
   * a process backend: the original exception, or a {@link RemoteException} standing in for it),
   * or with a {@link TaskFailedException} subclass when the infrastructure failed
   * ({@link WorkerDiedException}, {@link TaskTimeoutException}). {@code cancel(true)} interrupts
   * the running job.
   *
   * @param job the job
   * @param <R> the result type
   * @return the job's future
   * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
   */
  <R> CompletableFuture<R> submit(Job<? extends R> job);

  /**
   * Returns this pool as an {@link java.util.concurrent.ExecutorService}, for code and frameworks
   * that take one. The view shares the pool's lifecycle: its {@code shutdown()} closes the pool
   * once accepted work is done, and closing the pool shuts the view down. For process and
   * cluster backends the {@code Runnable}s and {@code Callable}s must be serializable; one that
   * is not is refused at submit. See {@link PoolExecutorService}.
   *
   * {@snippet :
   * ExecutorService executor = pool.asExecutorService();
   * Future<Integer> answer = executor.submit((Callable<Integer> & Serializable) () -> 42);
   * }
   *
   * @return the view; the same object on every call
   */
  PoolExecutorService asExecutorService();

  /**
   * Returns how many tasks this pool runs at once: threads, processes, or the virtual-thread
   * concurrency limit.
   *
   * @return the number of workers, at least 1
   */
  int workers();

  /**
   * Returns a snapshot of this pool's workers, chunks, item counters, replacements and recent
   * chunk latencies, the same figures for every backend. Cheap enough to call every second: it
   * takes no lock that work takes, and the counters behind it cost no lock and no allocation per
   * item. It may be called after {@link #close()}.
   *
   * {@snippet :
   * PoolStats s = pool.stats();
   * System.err.printf("%d/%d busy, %d queued, %d done, %d failed%n",
   *     s.busyWorkers(), s.workers(), s.chunksQueued(), s.itemsCompleted(), s.itemsFailed());
   * }
   *
   * @return the snapshot; see {@link PoolStats} for what each figure means per backend
   */
  PoolStats stats();

  /**
   * Lets accepted work finish, then releases every thread and process. Idempotent. If the calling
   * thread is interrupted while it waits, running work is interrupted, the wait goes on, and the
   * interrupt status is set again on return.
   */
  @Override
  void close();
}
