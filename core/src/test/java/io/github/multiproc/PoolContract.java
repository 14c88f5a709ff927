package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link Pool} backend must meet, run against each implementation by a
 * subclass that says how to create the pool (the JCTools {@code QueueSanityTest} pattern).
 *
 * {@snippet :
 * class ProcessPoolContractIT extends PoolContract {
 *   protected Pool createPool(int workers) { return ProcessPool.create(workers); }
 * }
 * }
 *
 * <p>Pools are created once per worker count and reused by every case (a process backend starts
 * JVMs), so cases must leave a pool as they found it. Every task here is a static lambda or
 * class, so that process backends can ship it to workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PoolContract {

  private final Map<Integer, Pool> pools = new HashMap<>();

  /**
   * Creates the pool under test.
   *
   * @param workers the number of workers
   * @return a new pool; the contract closes it
   */
  protected abstract Pool createPool(int workers);

  /** @return the worker counts the properties draw from; at least one */
  protected int[] workerCounts() {
    return new int[] {1, 2, 3};
  }

  /** @return how many generated cases each property runs */
  protected int examples() {
    return 150;
  }

  /** @return whether the backend honours per-task timeouts (else it must refuse them) */
  protected boolean supportsTaskTimeout() {
    return true;
  }

  /** @return the worker count passed to {@link #createPool} */
  protected final Pool pool(int workers) {
    return pools.computeIfAbsent(workers, this::createPool);
  }

  private Pool anyPool() {
    return pool(workerCounts()[workerCounts().length - 1]);
  }

  @AfterAll
  final void closePools() {
    pools.values().forEach(Pool::close);
    pools.clear();
  }

  // ---- tasks (static, so they serialize without the test instance) ----

  static final Task<Integer, Long> AFFINE = x -> 31L * x + 7;

  static Task<Integer, Integer> failingAt(int bad) {
    return x -> {
      if (x == bad) {
        throw new IllegalStateException("boom at " + x);
      }
      return x;
    };
  }

  static Task<Integer, Integer> blockingUnlessInterrupted(Duration howLong) {
    return x -> {
      Work.pause(howLong);
      return x;
    };
  }

  private static MapOptions options(int chunkSize) {
    return chunkSize == 0 ? MapOptions.defaults() : MapOptions.builder().chunkSize(chunkSize).build();
  }

  private int workersAt(int i) {
    return workerCounts()[i];
  }

  private static List<Long> expected(List<Integer> inputs) {
    return inputs.stream().map(x -> 31L * x + 7).collect(Collectors.toList());
  }

  // ---- ordering and exactly-once ----

  @Test
  void shouldReturnMapResultsInInputOrderForAnyInputsWorkersAndChunkSize() {
    qt().withExamples(examples()).forAll(
        lists().of(integers().between(-1_000_000, 1_000_000)).ofSizeBetween(0, 300),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 40))
        .checkAssert((inputs, w, chunk) ->
            assertThat(pool(workersAt(w)).map(AFFINE, inputs, options(chunk))).isEqualTo(expected(inputs)));
  }

  @Test
  void shouldReturnMapResultsInInputOrderForAnInputOfUnknownSize() {
    qt().withExamples(examples() / 3).forAll(
        lists().of(integers().between(-1_000_000, 1_000_000)).ofSizeBetween(0, 300),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 40))
        .checkAssert((inputs, w, chunk) -> {
          Iterable<Integer> notACollection = inputs::iterator; // no size: results are gathered as they come
          assertThat(pool(workersAt(w)).map(AFFINE, notACollection, options(chunk))).isEqualTo(expected(inputs));
        });
  }

  @Test
  void shouldReturnEveryResultWhenAListGrowsWhileItIsMapped() {
    List<Integer> all = IntStream.range(0, 200).boxed().toList();
    for (int chunk : new int[] {0, 1, 7}) {
      // read through its iterator, and by index (RandomAccess): two ways into the engine
      assertThat(anyPool().map(AFFINE, new GrowingList(all), options(chunk)))
          .as("iterated, chunk size %d", chunk).isEqualTo(expected(all));
      assertThat(anyPool().map(AFFINE, new GrowingRandomAccessList(all), options(chunk)))
          .as("by index, chunk size %d", chunk).isEqualTo(expected(all));
    }
  }

  /** A list whose first {@code size()} is a quarter of what it holds by the time it is read. */
  private static class GrowingList extends java.util.AbstractList<Integer> {
    private final List<Integer> all;
    private int sizeCalls;

    GrowingList(List<Integer> all) {
      this.all = all;
    }

    @Override
    public Integer get(int i) {
      return all.get(i);
    }

    @Override
    public int size() {
      return sizeCalls++ == 0 ? all.size() / 4 : all.size();
    }
  }

  private static final class GrowingRandomAccessList extends GrowingList implements java.util.RandomAccess {
    GrowingRandomAccessList(List<Integer> all) {
      super(all);
    }
  }

  @Test
  void shouldYieldImapResultsInInputOrderForAnyInputsWorkersAndChunkSize() {
    qt().withExamples(examples()).forAll(
        lists().of(integers().between(-1_000_000, 1_000_000)).ofSizeBetween(0, 300),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 40))
        .checkAssert((inputs, w, chunk) -> {
          // a plain Iterable (not a Collection): exercises the adaptive chunk size too
          Iterable<Integer> lazy = inputs::iterator;
          List<Long> out = new ArrayList<>();
          pool(workersAt(w)).imap(AFFINE, lazy, options(chunk)).forEachRemaining(out::add);
          assertThat(out).isEqualTo(expected(inputs));
        });
  }

  @Test
  void shouldYieldEachImapUnorderedResultExactlyOnce() {
    qt().withExamples(examples()).forAll(
        lists().of(integers().between(-1000, 1000)).ofSizeBetween(0, 300),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 40))
        .checkAssert((inputs, w, chunk) -> {
          List<Long> out = new ArrayList<>();
          pool(workersAt(w)).imapUnordered(AFFINE, inputs, options(chunk)).forEachRemaining(out::add);
          assertThat(out).containsExactlyInAnyOrderElementsOf(expected(inputs));
        });
  }

  @Test
  void shouldPassNullInputsAndResultsThrough() {
    List<String> inputs = new ArrayList<>(List.of("a", "b"));
    inputs.add(1, null);
    Task<String, String> upper = s -> s == null ? null : s.toUpperCase(java.util.Locale.ROOT);
    assertThat(anyPool().map(upper, inputs)).containsExactly("A", null, "B");
  }

  // ---- failures ----

  @Test
  void shouldReportTheIndexOfAFailingInputFromMap() {
    qt().withExamples(Math.max(20, examples() / 3)).forAll(
        integers().between(1, 200),
        integers().between(0, 199),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 20))
        .checkAssert((size, anyBad, w, chunk) -> {
          int bad = anyBad % size; // every generated case is valid: no assumption to reject cases
          List<Integer> inputs = IntStream.range(0, size).boxed().toList();
          Throwable thrown = catchThrowable(() -> pool(workersAt(w)).map(failingAt(bad), inputs, options(chunk)));
          assertThat(thrown).isExactlyInstanceOf(TaskFailedException.class);
          TaskFailedException e = (TaskFailedException) thrown;
          assertThat(e.index()).isEqualTo((long) bad);
          assertThat(e.getMessage()).contains("#" + bad);
          assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom at " + bad);
        });
  }

  @Test
  void shouldYieldEveryResultBeforeAFailingInputFromImap() {
    qt().withExamples(Math.max(20, examples() / 3)).forAll(
        integers().between(1, 200),
        integers().between(0, 199),
        integers().between(0, workerCounts().length - 1),
        integers().between(0, 20))
        .checkAssert((size, anyBad, w, chunk) -> {
          int bad = anyBad % size;
          Iterator<Integer> it = pool(workersAt(w))
              .imap(failingAt(bad), IntStream.range(0, size).boxed().toList(), options(chunk));
          for (int i = 0; i < bad; i++) {
            assertThat(it.next()).isEqualTo(i);
          }
          assertThatThrownBy(it::next).isInstanceOfSatisfying(TaskFailedException.class,
              e -> assertThat(e.index()).isEqualTo((long) bad));
          assertThat(it.hasNext()).isFalse();
        });
  }

  @Test
  void shouldStayUsableAfterATaskThrows() {
    Pool pool = anyPool();
    assertThatThrownBy(() -> pool.map(failingAt(3), List.of(1, 2, 3, 4)))
        .isInstanceOf(TaskFailedException.class);
    assertThat(pool.map(AFFINE, List.of(1, 2))).containsExactly(38L, 69L);
  }

  @Test
  void shouldCarryTheTaskExceptionStackTrace() {
    TaskFailedException e = (TaskFailedException) catchThrowable(
        () -> anyPool().map(failingAt(0), List.of(0)));
    assertThat(e.getCause().getStackTrace()).isNotEmpty();
    assertThat(e.getCause().getStackTrace()[0].getClassName()).startsWith(PoolContract.class.getName());
  }

  // ---- submit ----

  @Test
  void shouldCompleteASubmittedJob() throws Exception {
    CompletableFuture<String> f = anyPool().submit(() -> "done");
    assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("done");
  }

  @Test
  void shouldFailASubmittedJobWithWhatItThrew() {
    CompletableFuture<Object> f = anyPool().submit(() -> {
      throw new java.io.IOException("disk on fire");
    });
    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(java.io.IOException.class).hasMessage("disk on fire");
  }

  @Test
  void shouldInterruptACancelledJobAndStayUsable() throws Exception {
    Pool pool = pool(workerCounts()[0]);
    List<CompletableFuture<Integer>> running = new ArrayList<>();
    for (int i = 0; i < pool.workers(); i++) {
      int v = i;
      running.add(pool.submit(() -> {
        Work.pause(Duration.ofMinutes(5));
        return v;
      }));
    }
    running.forEach(f -> assertThat(f.cancel(true)).isTrue());
    running.forEach(f -> assertThat(f).isCancelled());
    // the cancelled jobs were interrupted: the workers are free again and serve new work
    assertThat(pool.submit(() -> 42).get(60, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(pool.map(AFFINE, List.of(1))).containsExactly(38L);
  }

  // ---- interrupts ----

  @Test
  void shouldCancelTheRestOfAMapWhenTheCallerIsInterrupted() throws Exception {
    Pool pool = anyPool();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().name("contract-caller").start(() -> {
      try {
        pool.map(blockingUnlessInterrupted(Duration.ofMinutes(5)), IntStream.range(0, 50).boxed().toList());
      } catch (Throwable t) {
        thrown.set(t);
      }
      flagAfter.set(Thread.currentThread().isInterrupted());
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.WAITING
        || caller.getState() == Thread.State.TIMED_WAITING);
    caller.interrupt();
    caller.join(Duration.ofSeconds(30));
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(CancellationException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagAfter.get()).isTrue();
    // the blocked tasks were stopped, so the pool answers at once
    assertThat(pool.submit(() -> 7).get(60, TimeUnit.SECONDS)).isEqualTo(7);
  }

  @Test
  void shouldCancelAnImapWhenTheCallerIsInterrupted() throws Exception {
    Pool pool = anyPool();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().name("contract-imap-caller").start(() -> {
      try {
        Iterator<Integer> it = pool.imap(blockingUnlessInterrupted(Duration.ofMinutes(5)), List.of(1, 2, 3));
        it.next();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.WAITING
        || caller.getState() == Thread.State.TIMED_WAITING);
    caller.interrupt();
    caller.join(Duration.ofSeconds(30));
    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(pool.map(AFFINE, List.of(2))).containsExactly(69L);
  }

  // ---- laziness, progress, timeouts ----

  @Test
  void shouldReadInputsLazilyWithABoundedNumberInFlight() {
    Pool pool = anyPool();
    int chunk = 8;
    int window = 3;
    AtomicLong read = new AtomicLong();
    Iterable<Integer> endless = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return (int) read.getAndIncrement();
      }
    };
    Iterator<Long> results = pool.imap(AFFINE, endless,
        MapOptions.builder().chunkSize(chunk).maxChunksInFlight(window).build());
    for (int consumed = 1; consumed <= 2_000; consumed++) {
      assertThat(results.next()).isEqualTo(31L * (consumed - 1) + 7);
      // never more than the window (plus the chunk being consumed) read ahead of the consumer
      assertThat(read.get() - consumed).isLessThanOrEqualTo((long) (window + 1) * chunk);
    }
  }

  @Test
  void shouldReportProgressUpToTheTotal() {
    List<long[]> reports = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Integer> inputs = IntStream.range(0, 100).boxed().toList();
    anyPool().map(AFFINE, inputs, MapOptions.builder().chunkSize(7)
        .progressListener((done, total) -> reports.add(new long[] {done, total})).build());
    assertThat(reports).isNotEmpty();
    assertThat(reports.getLast()).containsExactly(100, 100);
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).isGreaterThan(reports.get(i - 1)[0]);
    }
  }

  @Test
  void shouldHonourOrRefuseAPerTaskTimeout() {
    Pool pool = anyPool();
    MapOptions timeout = MapOptions.builder().chunkSize(1).taskTimeout(Duration.ofMillis(300)).build();
    Task<Integer, Integer> slowOnTwo = x -> {
      if (x == 2) {
        Work.pause(Duration.ofMinutes(5));
      }
      return x;
    };
    if (!supportsTaskTimeout()) {
      assertThatThrownBy(() -> pool.map(slowOnTwo, List.of(1, 2, 3), timeout))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("timeout");
      return;
    }
    Iterator<Integer> it = pool.imap(slowOnTwo, List.of(0, 1, 2, 3), timeout);
    assertThat(it.next()).isZero();
    assertThat(it.next()).isEqualTo(1);
    assertThatThrownBy(it::next).isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
      assertThat(e.index()).isEqualTo(2L);
      assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
    });
    assertThat(pool.map(AFFINE, List.of(3), timeout)).containsExactly(100L);
  }

  // ---- statistics ----

  @Test
  void shouldCountEveryCompletedAndFailedItemInItsStats() throws Exception {
    Pool pool = anyPool();
    PoolStats before = quiet(pool);
    assertThat(pool.map(AFFINE, IntStream.range(0, 100).boxed().toList(), MapOptions.builder().chunkSize(7).build()))
        .hasSize(100);
    List<CompletableFuture<Integer>> jobs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int v = i;
      jobs.add(pool.submit(() -> {
        if (v % 3 == 0) {
          throw new IllegalStateException("job " + v + " fails");
        }
        return v;
      }));
    }
    for (CompletableFuture<Integer> job : jobs) {
      catchThrowable(job::join);
    }
    // inputs 0, 3, 6, 9 failed; a chunk is counted just after it completes, so wait for the last one
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      PoolStats now = pool.stats();
      assertThat(now.itemsCompleted() - before.itemsCompleted()).isEqualTo(110);
      assertThat(now.itemsFailed() - before.itemsFailed()).isEqualTo(4);
    });
    PoolStats after = quiet(pool);
    assertThat(after.itemsCompleted() - before.itemsCompleted()).isEqualTo(110); // and no more
    assertThat(after.itemsSucceeded() - before.itemsSucceeded()).isEqualTo(106);
    assertThat(after.chunkLatency().count()).isGreaterThan(before.chunkLatency().count()); // the map's first chunk
    assertThat(after.chunkLatency().windowSamples()).isPositive();
    assertThat(after.chunkLatency().p50()).isPositive();
  }

  @Test
  void shouldReportBusyWorkersAndChunksInFlightWhileTasksRun() {
    Pool pool = pool(workerCounts()[0]);
    quiet(pool);
    List<CompletableFuture<Integer>> running = new ArrayList<>();
    for (int i = 0; i < pool.workers(); i++) {
      running.add(pool.submit(() -> {
        Work.pause(Duration.ofMinutes(5));
        return 0;
      }));
    }
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        PoolStats s = pool.stats();
        assertThat(s.busyWorkers()).isEqualTo(pool.workers());
        assertThat(s.idleWorkers()).isZero();
        assertThat(s.chunksInFlight()).isEqualTo(pool.workers());
      });
    } finally {
      running.forEach(f -> f.cancel(true)); // the pool is shared by the other cases
    }
    PoolStats after = quiet(pool);
    assertThat(after.busyWorkers()).isZero();
    assertThat(after.idleWorkers() + after.startingWorkers()).isEqualTo(after.workers());
  }

  @Test
  void shouldAnswerStatsAfterClose() {
    Pool pool = createPool(workerCounts()[0]);
    pool.map(AFFINE, List.of(1, 2, 3));
    pool.close();
    PoolStats s = pool.stats();
    assertThat(s.busyWorkers()).isZero();
    assertThat(s.chunksQueued()).isZero();
    assertThat(s.chunksInFlight()).isZero();
  }

  /** Waits until nothing is queued or running, and returns the stats then. */
  private static PoolStats quiet(Pool pool) {
    AtomicReference<PoolStats> stats = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      PoolStats s = pool.stats();
      stats.set(s);
      return s.chunksQueued() == 0 && s.chunksInFlight() == 0 && s.busyWorkers() == 0;
    });
    return stats.get();
  }

  // ---- lifecycle ----

  @Test
  void shouldWaitForAcceptedWorkOnCloseAndRejectCallsAfter() throws Exception {
    Pool pool = createPool(workerCounts()[0]);
    CompletableFuture<String> f = pool.submit(() -> {
      Work.pause(Duration.ofMillis(300));
      return "finished";
    });
    pool.close();
    assertThat(f).isDone();
    assertThat(f.get()).isEqualTo("finished");
    pool.close(); // idempotent
    assertThatThrownBy(() -> pool.map(AFFINE, List.of(1))).isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> pool.imap(AFFINE, List.of(1))).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shouldReportItsWorkerCount() {
    for (int w : workerCounts()) {
      assertThat(pool(w).workers()).isEqualTo(w);
    }
  }
}
