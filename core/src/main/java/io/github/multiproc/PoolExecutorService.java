package io.github.multiproc;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A {@link Pool} seen as a {@link ExecutorService}, for code and frameworks that take one:
 * {@link Pool#asExecutorService()}. It honours the whole {@code ExecutorService} contract —
 * {@code submit}, {@code invokeAll}, {@code invokeAny}, {@code shutdown}, {@code shutdownNow},
 * {@code awaitTermination}, {@code close} — on every backend, and its futures are
 * {@link CompletableFuture}s.
 *
 * {@snippet :
 * ExecutorService executor = ProcessPool.create(4).asExecutorService();
 * Future<Long> pid = executor.submit((Callable<Long> & Serializable) () -> ProcessHandle.current().pid());
 * List<Future<Integer>> all = executor.invokeAll(tasks);   // tasks: serializable Callables
 * executor.shutdown();                                      // the pool closes once accepted work is done
 * executor.awaitTermination(1, TimeUnit.MINUTES);
 * }
 *
 * <p><b>One lifecycle.</b> The view and its pool are one thing: {@link #shutdown()} stops
 * accepting tasks and closes the pool in the background once accepted work (the view's and the
 * pool's own calls) is done; {@link #isTerminated()} is true once the pool is closed, however it
 * was closed; closing the pool shuts the view down. {@link #shutdownNow()} cancels the view's
 * tasks, interrupting those that run, and returns the tasks that never started; on a
 * {@code ProcessPool} it stops every worker at once, like {@code ProcessPool.shutdownNow()}, and
 * on a cluster pool it returns an empty list, since which tasks a member started cannot be known
 * here (all are cancelled). Each pool has one view.
 *
 * <p><b>Process and cluster backends</b> run a serialized copy of each task, so a
 * {@code Runnable} or {@code Callable} given to them must be {@link java.io.Serializable} (a lambda
 * cast to {@code Callable<T> & Serializable}, or a serializable class). One that is not is refused
 * when it is submitted, by the codec's exception naming the class and the field path that does
 * not serialize, never later inside a worker; {@code invokeAll} and {@code invokeAny} then cancel
 * what they had submitted. The value of {@link #submit(Runnable, Object)} never travels.
 *
 * <p><b>Cancellation.</b> {@code cancel(true)} interrupts a running task (a worker JVM's task too).
 * {@code cancel(false)} never interrupts: a task that has not started never runs, one that runs
 * finishes and its result is dropped; a process or cluster backend cannot tell a queued task from
 * a running one, so there the task may still run. On a cluster a cancel travels as an operation of
 * its own, so a task cancelled just after it was submitted may reach its member first and run.
 *
 * <p>A task given to {@link #execute(Runnable)} that throws is logged (SLF4J, WARN, logger
 * {@code io.github.multiproc.spi.PoolExecutorView}), as a thread's uncaught exception would be.
 *
 * <p><b>Thread safety.</b> Every method may be called by any thread at any time.
 * <b>Memory consistency effects:</b> actions in a thread before it submits a task
 * <i>happen-before</i> the task runs, whose actions <i>happen-before</i> its result is returned by
 * {@code Future.get()}; for a process or cluster backend only what travels in the task and its
 * result is exchanged. Actions of a task <i>happen-before</i> {@link #awaitTermination} returns
 * true.
 *
 * @since 0.1
 */
public interface PoolExecutorService extends ExecutorService {

  /**
   * Submits a task; see {@link ExecutorService#submit(Callable)}.
   *
   * @param task the task; serializable for a process or cluster backend
   * @param <T> the result type
   * @return its future; {@code cancel(true)} interrupts it
   * @throws java.util.concurrent.RejectedExecutionException if the view is shut down
   * @throws NullPointerException if the task is null
   * @throws RuntimeException the codec's exception (naming the class and field path) if a process
   *     or cluster backend cannot serialize the task
   */
  @Override
  <T> CompletableFuture<T> submit(Callable<T> task);

  /**
   * Submits a task; see {@link ExecutorService#submit(Runnable, Object)}.
   *
   * @param task the task; serializable for a process or cluster backend
   * @param result the value of the future once the task is done; it stays in this JVM
   * @param <T> the result type
   * @return its future
   * @throws java.util.concurrent.RejectedExecutionException if the view is shut down
   * @throws NullPointerException if the task is null
   */
  @Override
  <T> CompletableFuture<T> submit(Runnable task, T result);

  /**
   * Submits a task; see {@link ExecutorService#submit(Runnable)}.
   *
   * @param task the task; serializable for a process or cluster backend
   * @return its future, whose value is null
   * @throws java.util.concurrent.RejectedExecutionException if the view is shut down
   * @throws NullPointerException if the task is null
   */
  @Override
  CompletableFuture<?> submit(Runnable task);

  /** {@return the pool this is a view of} */
  Pool pool();
}
