package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.Pools;
import io.github.multiproc.RemoteException;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.Work;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.shm.SharedLongArray;
import io.github.multiproc.ipc.shm.SharedMemory;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * ProcessPool's own guarantees beyond the shared contract: isolation between the parent and its
 * workers, failures that carry the remote story, worker death and replacement, timeouts that stop
 * a worker, initializer and task limits, and the service-loader entry. One pool serves most cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolIT {

  private final ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).build();
  private final List<ProcessPool> others = new ArrayList<>();

  @AfterAll
  void shouldLeaveNoWorkerProcessBehind() {
    pool.close();
    others.forEach(ProcessPool::close);
    assertThat(pool.allWorkerProcesses()).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    others.forEach(p -> assertThat(p.allWorkerProcesses()).noneMatch(ProcessHandle::isAlive));
  }

  // ---- isolation -------------------------------------------------------------------------

  /** State a task may change in the JVM it runs in. */
  enum Where { STATIC, SYSTEM_PROPERTY, CLASS_CACHE }

  /** One mutation: set {@code key} to {@code value} in {@code where}, then read it back. */
  record Mutation(Where where, int key, int value) implements java.io.Serializable {}

  /** Mutable statics of this class: in the parent they must never change. */
  static final Map<Integer, Integer> STATICS = new HashMap<>();
  static int lastStatic;

  static final class Cache {
    static final Map<Integer, Integer> VALUES = new HashMap<>();
  }

  private static final Task<Mutation, String> APPLY = m -> {
    String key = "multiproc.test.isolation." + m.key();
    Integer readBack;
    switch (m.where()) {
      case STATIC -> {
        STATICS.put(m.key(), m.value());
        lastStatic = m.value();
        readBack = STATICS.get(m.key());
      }
      case SYSTEM_PROPERTY -> {
        System.setProperty(key, Integer.toString(m.value()));
        readBack = Integer.valueOf(System.getProperty(key));
      }
      default -> {
        Cache.VALUES.put(m.key(), m.value());
        readBack = Cache.VALUES.get(m.key());
      }
    }
    return ProcessHandle.current().pid() + ":" + m.where() + ":" + m.key() + "=" + readBack;
  };

  private static Gen<Mutation> mutations() {
    return integers().between(0, 2).zip(integers().between(0, 9), integers().between(1, 1_000),
        (w, k, v) -> new Mutation(Where.values()[w], k, v));
  }

  @Test
  void shouldNeverLetStateChangedInWorkersReachTheParentAndKeepInputOrder() {
    long parent = ProcessHandle.current().pid();
    qt().withExamples(120).forAll(lists().of(mutations()).ofSizeBetween(1, 40), integers().between(1, 8))
        .checkAssert((list, chunkSize) -> {
          List<String> results = pool.map(APPLY, list, MapOptions.builder().chunkSize(chunkSize).build());
          assertThat(results).hasSize(list.size());
          for (int i = 0; i < list.size(); i++) {
            Mutation m = list.get(i);
            String[] pidAndRest = results.get(i).split(":", 2);
            assertThat(Long.parseLong(pidAndRest[0])).isNotEqualTo(parent).isIn(pool.allWorkerProcesses().stream()
                .map(ProcessHandle::pid).toList());
            assertThat(pidAndRest[1]).isEqualTo(m.where() + ":" + m.key() + "=" + m.value());
          }
          assertThat(STATICS).isEmpty();
          assertThat(lastStatic).isZero();
          assertThat(Cache.VALUES).isEmpty();
          assertThat(System.getProperties().stringPropertyNames())
              .noneMatch(k -> k.startsWith("multiproc.test.isolation."));
        });
  }

  @Test
  void shouldAnswerIntResultsExactlyWhetherEveryBatchIsIntsOrSomeAreNot() {
    qt().withExamples(40).forAll(lists().of(integers().all()).ofSizeBetween(1, 120), integers().between(1, 32),
        integers().between(0, 2)).checkAssert((inputs, chunkSize, shape) -> {
          MapOptions options = MapOptions.builder().chunkSize(chunkSize).build();
          List<Object> results = pool.map(x -> shape == 0 ? (Object) (x ^ 0x5a5a)
              : shape == 1 ? (x % 5 == 0 ? null : (Object) (x ^ 0x5a5a)) // some batches not all ints
              : (x % 5 == 0 ? "s" + x : (Object) (x ^ 0x5a5a)), inputs, options);
          List<Object> expected = new java.util.ArrayList<>();
          for (int x : inputs) {
            expected.add(shape == 0 ? (Object) (x ^ 0x5a5a) : x % 5 == 0 ? (shape == 1 ? null : "s" + x)
                : (Object) (x ^ 0x5a5a));
          }
          assertThat(results).isEqualTo(expected);
          if (shape == 0) {
            assertThat(results.getClass().getSimpleName()).as("ints stay ints: no Integer per result")
                .isEqualTo("IntResultList");
          }
        });
  }

  @Test
  void shouldRunEveryIntItemOnceWhenABatchTurnsFromIntResultsToOthers() {
    withRunCounters(600, runs -> {
      // ints first in every batch of 200, then a String or a null mid-batch: the worker's int path
      // hands the batch to the general path there, and no item may run a second time
      Task<Integer, Object> task = x -> {
        runs.getAndAdd(x, 1);
        return x % 89 == 7 ? "s" + x : x % 83 == 5 ? null : (Object) (x * 3);
      };

      List<Object> results = pool.map(task, IntStream.range(0, 600).boxed().toList(),
          MapOptions.builder().chunkSize(200).build());

      for (int x = 0; x < 600; x++) {
        assertThat(results.get(x)).as("input %d", x).isEqualTo(x % 89 == 7 ? "s" + x : x % 83 == 5 ? null : x * 3);
        assertThat(runs.get(x)).as("runs of input %d", x).isEqualTo(1);
      }
    });
  }

  @Test
  void shouldAnswerEveryNumericKindExactlyWhetherABatchStaysOneKindOrTurns() {
    // inputs all ints, all longs or all doubles; results all of one numeric kind, or turning to
    // another numeric kind, a null or a String mid-batch: the worker's number path and the
    // general path it hands over to must answer as the task does
    qt().withExamples(40).forAll(lists().of(integers().between(-1_000_000, 1_000_000)).ofSizeBetween(1, 120),
        integers().between(1, 32), integers().between(0, 2), integers().between(0, 11))
        .checkAssert((ints, chunkSize, inputKind, shape) -> {
          int resultKind = shape % 3;
          int turn = shape / 3;
          List<Object> inputs = ints.stream().map(x -> numericInput(x, inputKind)).toList();

          List<Object> results = pool.map(x -> numericOutcome(x, resultKind, turn), inputs,
              MapOptions.builder().chunkSize(chunkSize).build());

          assertThat(results).isEqualTo(inputs.stream().map(x -> numericOutcome(x, resultKind, turn)).toList());
          if (turn == 0) {
            assertThat(results.getClass().getSimpleName()).as("numbers stay unboxed in the parent")
                .isEqualTo(resultKind == 0 ? "IntResultList" : "BoxingResultList");
          }
        });
  }

  static Object numericInput(int x, int kind) {
    return kind == 0 ? (Object) x : kind == 1 ? (Object) (x * 3_000_000_000L) : (Object) (x / 7.0);
  }

  /** A result of kind {@code resultKind}; with {@code turn} > 0 every fifth input's is of another type. */
  static Object numericOutcome(Object input, int resultKind, int turn) {
    long x = input instanceof Double d ? (long) (d * 7.0) : ((Number) input).longValue();
    if (turn > 0 && Math.floorMod(x, 5) == 0) {
      return turn == 1 ? (resultKind == 0 ? (Object) (x * 2) : (Object) (int) x) : turn == 2 ? null : "s" + x;
    }
    return resultKind == 0 ? (Object) (int) (x ^ 0x5a5a) : resultKind == 1 ? (Object) (x << 20) : (Object) Math.sqrt(Math.abs(x));
  }

  @Test
  void shouldRunEveryIntItemOnceWhenABatchTurnsFromLongResultsToOthers() {
    withRunCounters(600, runs -> {
      // ints in, longs out (the exact port of a square), then an Integer or a String mid-batch
      Task<Integer, Object> task = x -> {
        runs.getAndAdd(x, 1);
        return x % 89 == 7 ? "s" + x : x % 83 == 5 ? (Object) x : (Object) ((long) x * x);
      };

      List<Object> results = pool.map(task, IntStream.range(0, 600).boxed().toList(),
          MapOptions.builder().chunkSize(200).build());

      for (int x = 0; x < 600; x++) {
        assertThat(results.get(x)).as("input %d", x)
            .isEqualTo(x % 89 == 7 ? "s" + x : x % 83 == 5 ? (Object) x : (Object) ((long) x * x));
        assertThat(runs.get(x)).as("runs of input %d", x).isEqualTo(1);
      }
    });
  }

  @Test
  void shouldRunEveryLongItemOnceWhenABatchTurnsFromDoubleResultsToOthers() {
    withRunCounters(600, runs -> {
      // longs in, doubles out, then a Long or a String mid-batch: handed to the general path there
      Task<Long, Object> task = x -> {
        runs.getAndAdd(x.intValue(), 1);
        return x % 89 == 7 ? "s" + x : x % 83 == 5 ? (Object) x : (Object) (x * 0.5);
      };

      List<Object> results = pool.map(task, LongStream.range(0, 600).boxed().toList(),
          MapOptions.builder().chunkSize(200).build());

      for (int x = 0; x < 600; x++) {
        assertThat(results.get(x)).as("input %d", x)
            .isEqualTo(x % 89 == 7 ? "s" + x : x % 83 == 5 ? (Object) (long) x : (Object) (x * 0.5));
        assertThat(runs.get(x)).as("runs of input %d", x).isEqualTo(1);
      }
    });
  }

  @Test
  void shouldRunNoIntItemTwiceWhenOneThrowsMidBatch() {
    withRunCounters(600, runs -> {
      Task<Integer, Integer> task = x -> {
        runs.getAndAdd(x, 1);
        if (x == 250) {
          throw new IllegalStateException("no " + x);
        }
        return x * 3;
      };

      assertThatThrownBy(() -> pool.map(task, IntStream.range(0, 600).boxed().toList(),
          MapOptions.builder().chunkSize(200).build()))
          .isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.index()).isEqualTo(250);
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("no 250");
          });

      await().atMost(Duration.ofSeconds(20)).until(() -> pool.stats().busyWorkers() == 0);
      for (int x = 200; x <= 250; x++) {
        assertThat(runs.get(x)).as("runs of input %d (its batch's int path)", x).isEqualTo(1);
      }
      for (int x = 0; x < 600; x++) {
        assertThat(runs.get(x)).as("runs of input %d", x).isLessThanOrEqualTo(1);
      }
    });
  }

  /** Runs {@code body} with {@code n} counters in shared memory, which workers can add to; unlinked after. */
  private static void withRunCounters(int n, Consumer<SharedLongArray> body) {
    SharedMemory memory = SharedMemory.create(8L * n);
    try (memory) {
      body.accept(memory.longArray(0, n));
    } finally {
      memory.unlink();
    }
  }

  @Test
  void shouldRunEveryWorkerInItsOwnProcess() {
    List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 64).boxed().toList(),
        MapOptions.builder().chunkSize(1).build());
    assertThat(Set.copyOf(pids)).doesNotContain(ProcessHandle.current().pid())
        .allMatch(pid -> pool.allWorkerProcesses().stream().anyMatch(h -> h.pid() == pid));
  }

  // ---- failures --------------------------------------------------------------------------

  @Test
  void shouldFailWithTheOriginalExceptionAndTheRemoteStackTrace() {
    assertThatThrownBy(() -> pool.map(ProcessPoolIT::explodeOnThree, List.of(1, 2, 3, 4)))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> {
          assertThat(e.index()).isEqualTo(2);
          assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessage("three is not allowed");
          assertThat(e.getCause().getStackTrace()[0].getMethodName()).isEqualTo("explodeOnThree");
        });
    assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
  }

  static int explodeOnThree(int x) {
    if (x == 3) {
      throw new IllegalArgumentException("three is not allowed");
    }
    return x;
  }

  /** An exception that cannot travel: it holds a thread. */
  static final class UnsendableException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;
    @SuppressWarnings("unused")
    private final Thread owner = Thread.currentThread();

    UnsendableException(String message) {
      super(message);
    }
  }

  @Test
  void shouldStandInWithARemoteExceptionWhenTheExceptionDoesNotSerialize() {
    assertThatThrownBy(() -> pool.map(x -> {
      throw new UnsendableException("holds a thread: " + x);
    }, List.of(7))).isInstanceOfSatisfying(TaskFailedException.class, e -> {
      assertThat(e.getCause()).isInstanceOfSatisfying(RemoteException.class, r -> {
        assertThat(r.remoteClassName()).isEqualTo(UnsendableException.class.getName());
        assertThat(r.remoteMessage()).isEqualTo("holds a thread: 7");
        assertThat(r.getStackTrace()).isNotEmpty();
      });
    });
  }

  @Test
  void shouldFailOnlyTheItemsOfAWorkerThatDiesAndReplaceIt() {
    List<Long> before = pool.workerPids();
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int x = i;
      futures.add(pool.submit(() -> {
        if (x == 5) {
          System.err.println("about to halt");
          Runtime.getRuntime().halt(42);
        }
        return x;
      }));
    }
    List<WorkerDiedException> deaths = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(WorkerDiedException.class);
        deaths.add((WorkerDiedException) e.getCause());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    // job 5 died with its worker; at most the one other job that worker held died too
    assertThat(deaths).hasSizeBetween(1, io.github.multiproc.processpool.internal.parent.PoolEngine.BATCHES_PER_WORKER);
    assertThat(futures.get(5)).isCompletedExceptionally();
    WorkerDiedException died = deaths.getFirst();
    assertThat(died.exitCode()).hasValue(42);
    assertThat(died.stderrTail()).contains("about to halt");
    assertThat(died.getMessage()).contains("worker pid " + died.pid()).contains("exit code 42");
    assertThat(before).contains(died.pid());
    long deadPid = died.pid();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(pool.workerPids()).hasSize(2).doesNotContain(deadPid));
    assertThat(pool.map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
  }

  @Test
  void shouldTimeOutATaskThatIgnoresInterruptsAndReplaceItsWorker() {
    MapOptions timeout = MapOptions.builder().chunkSize(1).taskTimeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> pool.map(x -> {
      if (x == 1) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
          Thread.interrupted(); // ignores interrupts on purpose
        }
      }
      return x;
    }, List.of(0, 1, 2), timeout)).isInstanceOfSatisfying(TaskTimeoutException.class,
        e -> assertThat(e.index()).isEqualTo(1));
    // the worker that ran #1 is stopped and replaced; the pool goes on at full strength
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pool.workerPids()).hasSize(2)
        .allMatch(pid -> pool.allWorkerProcesses().stream().anyMatch(h -> h.pid() == pid && h.isAlive())));
    assertThat(pool.map(x -> x, List.of(1, 2, 3, 4), timeout)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void shouldAnswerChunksWhoseResultsAreAllNull() {
    // all-null results take no byte per item on the wire: a 200-item map once failed with
    // "item count 25 in a payload of 21 bytes"
    assertThat(pool.map(x -> (Object) null, IntStream.range(0, 200).boxed().toList())).hasSize(200).containsOnlyNulls();
    assertThat(pool.map(x -> (Object) null, IntStream.range(0, 200).boxed().toList(),
        MapOptions.builder().chunkSize(100).build())).hasSize(200).containsOnlyNulls();
  }

  @Test
  void shouldTellATimedOutItemThatWaitedFromOneThatComputed() {
    MapOptions timeout = MapOptions.builder().chunkSize(1).taskTimeout(Duration.ofMillis(100)).build();
    // the workers start their CPU clock in the background on the first call with a timeout
    TaskTimeoutException blocked = await().atMost(Duration.ofSeconds(60)).until(() -> timedOut(x -> {
      Work.pause(Duration.ofSeconds(30)); // blocked, not computing: the alarm's interrupt ends it
      return x;
    }, timeout), e -> e.cpuTime().isPresent());
    assertThat(blocked.cpuTime().get()).isLessThan(Duration.ofMillis(50));
    assertThat(blocked.getMessage()).contains("it was on a CPU for").contains("blocked (sleep, I/O, a lock)");

    TaskTimeoutException computing = await().atMost(Duration.ofSeconds(60)).until(() -> timedOut(x -> {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
        Math.sqrt(x); // computing until the alarm's interrupt
      }
      return x;
    }, timeout), e -> e.cpuTime().isPresent());
    // how much CPU it got depends on the machine's load; the message follows the measure
    boolean starved = computing.cpuTime().get().compareTo(Duration.ofMillis(50)) < 0;
    assertThat(computing.getMessage().contains("it was on a CPU for")).isEqualTo(starved);
  }

  private TaskTimeoutException timedOut(Task<Integer, Integer> task, MapOptions options) {
    try {
      pool.map(task, List.of(7), options);
    } catch (TaskTimeoutException e) {
      return e;
    }
    throw new AssertionError("input #0 did not time out");
  }

  // ---- options ---------------------------------------------------------------------------

  @Test
  void shouldRunTheInitializerInEachWorkerAndReplaceWorkersAfterTheirTaskLimit() {
    ProcessPool limited = ProcessPool.builder().workers(1)
        .initializer(() -> System.setProperty("multiproc.test.initialized", "yes"))
        .maxTasksPerWorker(4)
        .jvmArgs("-Dmultiproc.test.jvmArg=given")
        .environment("MULTIPROC_TEST_ENV", "env-value")
        .output(WorkerOutput.DISCARD)
        .build();
    others.add(limited);
    List<String> seen = limited.map(x -> ProcessHandle.current().pid() + " "
        + System.getProperty("multiproc.test.initialized") + " " + System.getProperty("multiproc.test.jvmArg")
        + " " + System.getenv("MULTIPROC_TEST_ENV"), IntStream.range(0, 12).boxed().toList(),
        MapOptions.builder().chunkSize(2).build());
    assertThat(seen).allMatch(s -> s.endsWith(" yes given env-value"));
    Map<String, Long> perPid = seen.stream().collect(Collectors.groupingBy(s -> s.split(" ")[0], Collectors.counting()));
    assertThat(perPid).hasSizeGreaterThanOrEqualTo(3).allSatisfy((pid, n) -> assertThat(n).isLessThanOrEqualTo(4));
  }

  @Test
  void shouldBeSelectedByPoolsFromConfig() {
    try (Pool configured = Pools.fromConfig(Map.of("multiproc.backend", "process", "multiproc.workers", "1"))) {
      assertThat(configured).isInstanceOf(ProcessPool.class);
      assertThat(configured.workers()).isEqualTo(1);
      others.add((ProcessPool) configured);
      assertThat(configured.map(x -> x + 1, List.of(41))).containsExactly(42);
    }
  }
}
