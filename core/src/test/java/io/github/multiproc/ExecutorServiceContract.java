package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link java.util.concurrent.ExecutorService} contract of {@link Pool#asExecutorService()},
 * run against every backend by a subclass that says how to create a pool. The cases follow the
 * JSR-166 TCK's {@code ExecutorService} tests ({@code AbstractExecutorServiceTest},
 * {@code ThreadPoolExecutorTest}), written again for pools whose tasks may run in other processes:
 * tasks are serializable, and they signal through files ({@link Marks}), which every worker JVM
 * and cluster member on this machine sees. A task that would block for minutes is used to prove
 * cancellation: the executor then terminates within a generous bound, or the case fails.
 *
 * {@snippet :
 * class ProcessPoolExecutorServiceIT extends ExecutorServiceContract {
 *   protected Pool createPool(int workers) { return ProcessPool.create(workers); }
 * }
 * }
 *
 * <p>Each case creates its own pools (shutting the view down closes its pool) and the contract
 * closes them after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ExecutorServiceContract {

  /** Long enough to prove that termination came from a cancel, not from the task ending. */
  private static final long TERMINATION_SECONDS = 60;
  private static final Duration AWAIT = Duration.ofSeconds(60);

  private final List<Pool> pools = new ArrayList<>();

  @TempDir Path dir;

  /**
   * Creates the pool under test.
   *
   * @param workers the number of workers
   * @return a new pool; the contract closes it
   */
  protected abstract Pool createPool(int workers);

  /**
   * Whether {@code shutdownNow()} can name the tasks that never started (a cluster cannot: it
   * returns an empty list).
   *
   * @return true unless overridden
   */
  protected boolean shutdownNowReturnsNeverStartedTasks() {
    return true;
  }

  /**
   * Whether a task cancelled while it waits never runs. A cluster cannot promise it: Hazelcast
   * sends the cancel as an operation of its own, which may reach the member before the task does.
   *
   * @return true unless overridden
   */
  protected boolean cancelledQueuedTasksNeverRun() {
    return true;
  }

  /**
   * Whether tasks run in this JVM, so that {@code cancel(false)} keeps a queued task from running.
   *
   * @return true unless overridden
   */
  protected boolean runsTasksInThisJvm() {
    return true;
  }

  /**
   * Returns the executor under test for a pool: its {@link Pool#asExecutorService()} view unless
   * overridden (the Guava module tests its listening view).
   *
   * @param pool a pool from {@link #createPool}
   * @return the executor
   */
  protected ExecutorService view(Pool pool) {
    return pool.asExecutorService();
  }

  private ExecutorService executor(int workers) {
    Pool pool = createPool(workers);
    pools.add(pool);
    return view(pool);
  }

  @AfterEach
  final void closePools() {
    // lifecycle methods have no @Timeout: a shutdownNow that hangs must fail, not stall the run
    assertTimeoutPreemptively(Duration.ofSeconds(TERMINATION_SECONDS), () -> {
      pools.forEach(p -> p.asExecutorService().shutdownNow());
      pools.forEach(Pool::close);
    });
    pools.clear();
  }

  // ---- submit and execute ----

  @Test
  void shouldRunAnExecutedRunnable() {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    e.execute(new Touch(marks, "ran"));
    await().atMost(AWAIT).until(() -> marks.has("ran"));
  }

  @Test
  void shouldCompleteSubmittedTasksWithTheirValues() throws Exception {
    ExecutorService e = executor(2);
    Marks marks = new Marks(dir);
    assertThat(e.submit(new Value<>(42)).get()).isEqualTo(42);
    assertThat(e.submit((Runnable) new Touch(marks, "runnable")).get()).isNull();
    assertThat(e.submit((Runnable) new Touch(marks, "with-result"), "given").get()).isEqualTo("given");
    assertThat(marks.has("runnable") && marks.has("with-result")).isTrue();
  }

  @Test
  void shouldFailTheFutureWithWhatTheTaskThrew() {
    ExecutorService e = executor(1);
    Future<Object> f = e.submit(new Fail("no luck"));
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class).hasMessage("no luck");
  }

  @Test
  void shouldRefuseNullTasks() {
    ExecutorService e = executor(1);
    Value<Integer> ok = new Value<>(1);
    assertThatThrownBy(() -> e.execute(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.submit((Callable<?>) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.submit((Runnable) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.submit((Runnable) null, "r")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAll(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAll(Arrays.asList(ok, null))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAny(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAny(Arrays.asList(ok, null))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAll(List.of(ok), 1, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.invokeAny(List.of(ok), 1, null)).isInstanceOf(NullPointerException.class);
  }

  // ---- invokeAll ----

  @Test
  void shouldReturnAnEmptyListForInvokeAllOfNoTask() throws Exception {
    assertThat(executor(1).invokeAll(List.of())).isEmpty();
  }

  @Test
  void shouldReturnEveryFutureDoneFromInvokeAllInTaskOrder() throws Exception {
    List<Future<Object>> all = executor(2).invokeAll(List.of(new Value<>(1), new Fail("second"), new Value<>(3)));
    assertThat(all).hasSize(3).allMatch(Future::isDone);
    assertThat(all.get(0).get()).isEqualTo(1);
    assertThatThrownBy(() -> all.get(1).get()).isInstanceOf(ExecutionException.class).cause().hasMessage("second");
    assertThat(all.get(2).get()).isEqualTo(3);
  }

  @Test
  void shouldReturnTheValuesOfATimedInvokeAllThatFinishesInTime() throws Exception {
    List<Future<Integer>> all = executor(2).invokeAll(List.of(new Value<>(1), new Value<>(2)), AWAIT.toSeconds(),
        TimeUnit.SECONDS);
    assertThat(all).hasSize(2).allMatch(Future::isDone);
    assertThat(all.get(0).get()).isEqualTo(1);
    assertThat(all.get(1).get()).isEqualTo(2);
  }

  @Test
  void shouldCancelWhatATimedInvokeAllDidNotFinishByItsDeadline() throws Exception {
    ExecutorService e = executor(2);
    Marks marks = new Marks(dir);
    List<Future<Object>> all = e.invokeAll(List.of(new Block(marks, "late"), new Block(marks, "later")), 300,
        TimeUnit.MILLISECONDS);
    assertThat(all).hasSize(2).allMatch(Future::isDone).allMatch(Future::isCancelled);
    assertTerminatesPromptly(e);
  }

  @Test
  void shouldCancelInvokeAllWhenItsCallerIsInterrupted() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        e.invokeAll(List.of(new Block(marks, "blocked")));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    await().atMost(AWAIT).until(() -> marks.has("blocked.started"));
    caller.interrupt();
    caller.join(AWAIT.toMillis());
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertTerminatesPromptly(e);
  }

  // ---- invokeAny ----

  @Test
  void shouldRefuseInvokeAnyOfNoTask() {
    assertThatThrownBy(() -> executor(1).invokeAny(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReturnTheValueOfATaskThatSucceedsFromInvokeAny() throws Exception {
    assertThat(executor(2).invokeAny(List.of(new Fail("first"), new Value<>(7)))).isEqualTo(7);
  }

  @Test
  void shouldThrowExecutionExceptionWhenEveryInvokeAnyTaskFails() {
    assertThatThrownBy(() -> executor(2).invokeAny(List.of(new Fail("a"), new Fail("b"))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldCancelTheOtherTasksOnceInvokeAnyHasAValue() throws Exception {
    ExecutorService e = executor(2);
    Marks marks = new Marks(dir);
    assertThat(e.invokeAny(List.<Callable<Object>>of(new Value<>(1), new Block(marks, "other")))).isEqualTo(1);
    assertTerminatesPromptly(e);
  }

  @Test
  void shouldTimeOutATimedInvokeAnyAndCancelItsTasks() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    assertThatThrownBy(() -> e.invokeAny(List.of(new Block(marks, "slow")), 300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertTerminatesPromptly(e);
  }

  // ---- cancel ----

  @Test
  void shouldInterruptARunningTaskOnCancelTrue() {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> f = e.submit(new Block(marks, "running"));
    await().atMost(AWAIT).until(() -> marks.has("running.started"));
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
    await().atMost(AWAIT).until(() -> marks.has("running.interrupted"));
  }

  @Test
  void shouldLetARunningTaskFinishOnCancelFalse() {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> f = e.submit(new AwaitGo(marks, "task"));
    await().atMost(AWAIT).until(() -> marks.has("task.started"));
    assertThat(f.cancel(false)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
    marks.touch("task.go");
    await().atMost(AWAIT).until(() -> marks.has("task.finished"));
    assertThat(marks.has("task.interrupted")).isFalse();
  }

  @Test
  void shouldNeverRunAQueuedTaskCancelledWithInterrupt() throws Exception {
    assertNeverRunsOnceCancelledWhileQueued(true);
  }

  @Test
  void shouldNeverRunAQueuedTaskCancelledWithoutInterruptWhenTasksRunInThisJvm() throws Exception {
    if (runsTasksInThisJvm()) { // elsewhere a queued task cannot be told from a running one
      assertNeverRunsOnceCancelledWhileQueued(false);
    }
  }

  private void assertNeverRunsOnceCancelledWhileQueued(boolean interrupt) throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> first = e.submit(new AwaitGo(marks, "first"));
    await().atMost(AWAIT).until(() -> marks.has("first.started"));
    Future<?> queued = e.submit((Runnable) new Touch(marks, "queued"));
    assertThat(queued.cancel(interrupt)).isTrue();
    marks.touch("first.go");
    assertThat(first.get(TERMINATION_SECONDS, TimeUnit.SECONDS)).isEqualTo("first");
    e.shutdown();
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(queued.isCancelled()).isTrue();
    if (cancelledQueuedTasksNeverRun()) {
      assertThat(marks.has("queued")).as("the cancelled task ran").isFalse();
    }
  }

  @Test
  void shouldThrowInterruptedExceptionToACallerInterruptedInGet() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> f = e.submit(new Block(marks, "long"));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        f.get();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    await().atMost(AWAIT).until(() -> caller.getState() == Thread.State.WAITING);
    caller.interrupt();
    caller.join(AWAIT.toMillis());
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(f.isDone()).isFalse();
  }

  // ---- lifecycle ----

  @Test
  void shouldRejectTasksAfterShutdown() {
    ExecutorService e = executor(1);
    e.shutdown();
    assertThat(e.isShutdown()).isTrue();
    assertThatThrownBy(() -> e.execute(new Touch(new Marks(dir), "late"))).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> e.submit(new Value<>(1))).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> e.invokeAll(List.of(new Value<>(1)))).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> e.invokeAny(List.of(new Value<>(1)))).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shouldFinishAcceptedTasksAfterShutdownThenTerminate() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> first = e.submit(new AwaitGo(marks, "accepted"));
    Future<?> second = e.submit((Runnable) new Touch(marks, "queued"));
    await().atMost(AWAIT).until(() -> marks.has("accepted.started"));
    e.shutdown();
    assertThat(e.isShutdown()).isTrue();
    assertThat(e.isTerminated()).isFalse();
    marks.touch("accepted.go");
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(e.isTerminated()).isTrue();
    assertThat(first.get()).isEqualTo("accepted");
    assertThat(second.get()).isNull();
    assertThat(marks.has("queued")).isTrue();
  }

  @Test
  void shouldNotTerminateWhileATaskRuns() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    e.submit(new Block(marks, "running"));
    await().atMost(AWAIT).until(() -> marks.has("running.started"));
    e.shutdown();
    assertThat(e.awaitTermination(100, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(e.isTerminated()).isFalse();
    e.shutdownNow();
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldStopRunningTasksAndReturnTheNeverStartedOnesOnShutdownNow() throws Exception {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    Future<Object> running = e.submit(new Block(marks, "running"));
    await().atMost(AWAIT).until(() -> marks.has("running.started"));
    Touch second = new Touch(marks, "second");
    Touch third = new Touch(marks, "third");
    Future<?> f2 = e.submit((Runnable) second);
    Future<?> f3 = e.submit((Runnable) third);

    List<Runnable> neverStarted = e.shutdownNow();

    assertThat(e.isShutdown()).isTrue();
    if (shutdownNowReturnsNeverStartedTasks()) {
      assertThat(neverStarted).containsExactlyInAnyOrder(second, third);
    } else {
      assertThat(neverStarted).isEmpty();
    }
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(List.of(running, f2, f3)).allMatch(Future::isDone);
    if (cancelledQueuedTasksNeverRun()) {
      assertThat(marks.has("second") || marks.has("third")).as("a task that never started ran").isFalse();
    }
    assertThatThrownBy(() -> e.submit(new Value<>(1))).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shouldShutDownNowWhileEveryWorkerIsIdle() throws Exception {
    ExecutorService e = executor(2);
    assertThat(e.submit(new Value<>(1)).get()).isEqualTo(1);
    assertThat(e.shutdownNow()).isEmpty();
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldTerminateOnClose() {
    ExecutorService e = executor(1);
    Marks marks = new Marks(dir);
    e.execute(new Touch(marks, "before-close"));
    e.close();
    assertThat(e.isTerminated()).isTrue();
    assertThat(marks.has("before-close")).isTrue();
  }

  @Test
  void shouldShareTheLifecycleOfItsPool() throws Exception {
    Pool pool = createPool(1);
    pools.add(pool);
    PoolExecutorService view = pool.asExecutorService();
    assertThat(view).isSameAs(pool.asExecutorService());
    assertThat(view.pool()).isSameAs(pool);
    CompletableFuture<Integer> f = view.submit(new Value<>(5));
    assertThat(f.thenApply(x -> x + 1).get()).isEqualTo(6);
    assertThat(view.isShutdown() || view.isTerminated()).isFalse();
    pool.close();
    assertThat(view.isShutdown()).isTrue();
    assertThat(view.isTerminated()).isTrue();
    assertThat(view.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
  }

  private static void assertTerminatesPromptly(ExecutorService e) throws InterruptedException {
    e.shutdown();
    assertThat(e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS))
        .as("a blocked task was not cancelled: the executor did not terminate").isTrue();
  }

  // ---- tasks: serializable, signalling through files ----

  /** Files in a directory every process on this machine can see; names are marks. */
  public record Marks(String dir) implements Serializable {

    Marks(Path dir) {
      this(dir.toString());
    }

    /**
     * Tells whether a mark exists.
     *
     * @param name the mark
     * @return whether it does
     */
    public boolean has(String name) {
      return Files.exists(Path.of(dir, name));
    }

    /**
     * Makes a mark.
     *
     * @param name the mark
     */
    public void touch(String name) {
      try {
        Files.writeString(Path.of(dir, name), name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Returns its value. */
  record Value<T>(T value) implements Callable<T>, Serializable {
    @Override
    public T call() {
      return value;
    }
  }

  /** Throws {@link IllegalStateException}. */
  record Fail(String message) implements Callable<Object>, Serializable {
    @Override
    public Object call() {
      throw new IllegalStateException(message);
    }
  }

  /** Makes a mark: a runnable and a callable. */
  record Touch(Marks marks, String name) implements Runnable, Callable<Object>, Serializable {
    @Override
    public void run() {
      marks.touch(name);
    }

    @Override
    public Object call() {
      run();
      return name;
    }
  }

  /** Marks {@code <name>.started}, waits five minutes unless interrupted, then marks {@code <name>.interrupted}. */
  record Block(Marks marks, String name) implements Callable<Object>, Serializable {
    @Override
    public Object call() throws InterruptedException {
      marks.touch(name + ".started");
      try {
        Work.pause(Duration.ofMinutes(5));
      } catch (InterruptedException e) {
        marks.touch(name + ".interrupted");
        throw e;
      }
      return name;
    }
  }

  /**
   * Marks {@code <name>.started}, waits for the mark {@code <name>.go} (checking every 10 ms),
   * then marks {@code <name>.finished} and returns its name; an interrupt marks
   * {@code <name>.interrupted}.
   */
  record AwaitGo(Marks marks, String name) implements Callable<Object>, Serializable {
    @Override
    public Object call() throws InterruptedException {
      marks.touch(name + ".started");
      try {
        while (!marks.has(name + ".go")) {
          Work.pause(Duration.ofMillis(10));
        }
      } catch (InterruptedException e) {
        marks.touch(name + ".interrupted");
        throw e;
      }
      marks.touch(name + ".finished");
      return name;
    }
  }
}
