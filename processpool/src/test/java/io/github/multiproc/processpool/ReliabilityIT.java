package io.github.multiproc.processpool;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.Idempotent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.Job;
import io.github.multiproc.MapOptions;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.Work;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import io.github.multiproc.ipc.shm.SharedMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The failure semantics of docs/reliability.md, one test per row: worker deaths of every kind,
 * timeouts that re-run the rest of a chunk, cancellation that interrupts then kills, idempotent
 * retries, bad input, shutdownNow, events, output ordering. One two-worker pool serves most cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityIT {

  private static final Duration GRACE = Duration.ofMillis(300);

  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private final ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD)
      .taskTimeoutGrace(GRACE).heartbeat(Duration.ofMillis(250), Duration.ofSeconds(3)).idempotentRetries(2)
      .eventListener(events::add).build();
  private final Path dir;

  ReliabilityIT() throws IOException {
    dir = Files.createTempDirectory("reliability-it");
  }

  @BeforeEach
  void fullStrength() {
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.workerPids().size() == 2);
    events.clear();
  }

  @AfterAll
  void shouldLeaveNoWorkerProcessBehind() throws IOException {
    pool.close();
    assertThat(pool.allWorkerProcesses()).noneMatch(ProcessHandle::isAlive);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  // ---- worker deaths ----------------------------------------------------------------------

  /** Ways a worker JVM ends under a task. */
  enum Death { // a task's OutOfMemoryError no longer ends its worker: MemoryRecyclingIT
    SYSTEM_EXIT(3), HALT(42), NATIVE_ABORT(134), SIGKILL(137);

    final int exitCode;

    Death(int exitCode) {
      this.exitCode = exitCode;
    }
  }

  static Object die(Death how, String startedFile) throws Exception {
    Files.writeString(Path.of(startedFile), Long.toString(ProcessHandle.current().pid()));
    System.err.println("dying by " + how);
    switch (how) {
      case SYSTEM_EXIT -> System.exit(3);
      case HALT -> Runtime.getRuntime().halt(42);
      case NATIVE_ABORT -> {
        Linker linker = Linker.nativeLinker();
        MethodHandle abort = linker.downcallHandle(linker.defaultLookup().find("abort").orElseThrow(),
            FunctionDescriptor.ofVoid());
        try {
          abort.invokeExact();
        } catch (Throwable t) {
          throw new IllegalStateException("abort() returned", t);
        }
      }
      case SIGKILL -> Work.pause(Duration.ofMinutes(5)); // the test kills the worker
    }
    return null;
  }

  @ParameterizedTest
  @EnumSource(Death.class)
  void shouldFailOnlyTheDyingItemWithItsPidExitCodeAndStderrAndReplaceTheWorker(Death how) throws Exception {
    Path started = dir.resolve("died-" + how);
    String startedFile = started.toString();
    CompletableFuture<Object> dying = pool.submit(() -> die(how, startedFile));
    List<CompletableFuture<Integer>> others = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int x = i;
      others.add(pool.submit(() -> x * 2));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
    long pid = Long.parseLong(Files.readString(started));
    long killedAt = System.nanoTime();
    if (how == Death.SIGKILL) {
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    }
    ExecutionException e = catchExecution(dying);
    long reportedAfter = System.nanoTime() - killedAt;
    assertThat(e.getCause()).isInstanceOfSatisfying(WorkerDiedException.class, d -> {
      assertThat(d.pid()).isEqualTo(pid);
      assertThat(d.exitCode()).hasValue(how.exitCode);
      if (how != Death.SIGKILL) {
        assertThat(d.stderrTail()).contains("dying by " + how);
      }
      assertThat(d.getMessage()).contains("worker pid " + pid);
    });
    if (how == Death.SIGKILL) {
      assertThat(Duration.ofNanos(reportedAfter)).isLessThan(Duration.ofSeconds(1));
    }
    for (int i = 0; i < others.size(); i++) {
      assertThat(others.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i * 2); // queued behind it: re-dispatched
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(pool.workerPids()).hasSize(2).doesNotContain(pid);
      assertThat(events).anyMatch(ev -> ev instanceof PoolEvent.WorkerDied d && d.pid() == pid)
          .anyMatch(ev -> ev instanceof PoolEvent.WorkerReplaced r && r.replacedPid() == pid)
          .anyMatch(ev -> ev instanceof PoolEvent.WorkerStarted s && s.pid() != pid);
    });
  }

  @Test
  void shouldUnlinkTheSharedMemorySegmentsOfAWorkerThatDied() throws Exception {
    String name = "reliability-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path segment = Path.of("/dev/shm", "multiproc-" + name);
    Path started = dir.resolve("shm-" + name);
    String startedFile = started.toString();
    String segmentFile = segment.toString();
    CompletableFuture<Object> dying = pool.submit(() -> {
      SharedMemory.create(name, 4096); // never closed nor unlinked: the worker halts holding it
      // the worker itself checks the segment: once it halts, the parent may unlink it at any moment
      boolean exists = !Files.isDirectory(Path.of("/dev/shm")) || Files.exists(Path.of(segmentFile));
      Files.writeString(Path.of(startedFile), ProcessHandle.current().pid() + " " + exists);
      Runtime.getRuntime().halt(42);
      return null;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
    String[] report = Files.readString(started).split(" ");
    long pid = Long.parseLong(report[0]);
    assertThat(report[1]).as("the worker's segment existed before it halted").isEqualTo("true");

    assertThat(catchExecution(dying)).cause().isInstanceOf(WorkerDiedException.class);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(segment).doesNotExist());
    assertThat(ProcessHandle.of(pid)).isEmpty();
  }

  private static ExecutionException catchExecution(CompletableFuture<?> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + f.join());
  }

  // ---- timeouts ---------------------------------------------------------------------------

  @Test
  void shouldTimeOutOnlyTheItemThatIgnoresInterruptsAndRunTheRestOfItsChunkElsewhere() {
    String ran = dir.resolve("ran-").toString();
    MapOptions oneChunk = MapOptions.builder().chunkSize(6).taskTimeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> pool.map(x -> {
      Files.writeString(Path.of(ran + "" + x), "");
      if (x == 2) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
          Thread.interrupted(); // ignores interrupts on purpose
        }
      }
      return x;
    }, IntStream.range(0, 6).boxed().toList(), oneChunk)).isInstanceOfSatisfying(TaskTimeoutException.class,
        e -> assertThat(e.index()).isEqualTo(2));
    for (int i = 0; i < 6; i++) {
      assertThat(Path.of(ran + "" + i)).exists(); // the items after #2 ran, in a new worker
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> // events arrive on the pool's event thread
        assertThat(events).anyMatch(ev -> ev instanceof PoolEvent.TaskTimedOut t && t.index() == 2));
    assertThat(events).noneMatch(ev -> ev instanceof PoolEvent.TaskFailed f && f.index() != 2);
  }

  // ---- cancellation -----------------------------------------------------------------------

  @Test
  void shouldKillTheWorkerOfACancelledTaskThatIgnoresTheInterruptAfterTheGracePeriod() throws Exception {
    Path started = dir.resolve("stubborn");
    String startedFile = started.toString();
    CompletableFuture<Object> stubborn = pool.submit(() -> {
      Files.writeString(Path.of(startedFile), Long.toString(ProcessHandle.current().pid()));
      while (true) {
        Thread.interrupted(); // ignores interrupts on purpose
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
    long pid = Long.parseLong(Files.readString(started));
    assertThat(stubborn.cancel(true)).isTrue();
    // one lookup: a process can end between two (ProcessHandle.of, then get, threw here once)
    await().atMost(GRACE.plusSeconds(2)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events).anyMatch(ev ->
        ev instanceof PoolEvent.WorkerDied d && d.pid() == pid && d.reason().contains("cancelled")));
    assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
  }

  @Test
  void shouldInterruptACancelledTaskAndKeepItsWorker() throws Exception {
    Path started = dir.resolve("polite");
    Path interrupted = dir.resolve("polite-interrupted");
    String startedFile = started.toString();
    String interruptedFile = interrupted.toString();
    CompletableFuture<Object> polite = pool.submit(() -> {
      Files.writeString(Path.of(startedFile), Long.toString(ProcessHandle.current().pid()));
      try {
        Work.pause(Duration.ofMinutes(5));
      } catch (InterruptedException e) {
        Files.writeString(Path.of(interruptedFile), "yes");
        throw e;
      }
      return null;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
    long pid = Long.parseLong(Files.readString(started));
    polite.cancel(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(interrupted));
    assertThat(pool.workerPids()).contains(pid);
    assertThat(events).noneMatch(ev -> ev instanceof PoolEvent.WorkerDied);
  }

  @Test
  void shouldInterruptTheRunningTasksWhenTheMapCallerIsInterrupted() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    String prefix = dir.resolve("caller-").toString();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        pool.map(x -> {
          Files.writeString(Path.of(prefix + "started-" + x), "");
          try {
            Work.pause(Duration.ofMinutes(5));
          } catch (InterruptedException e) {
            Files.writeString(Path.of(prefix + "interrupted-" + x), "");
            throw e;
          }
          return x;
        }, List.of(0, 1, 2, 3), MapOptions.builder().chunkSize(1).build());
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(prefix + "started-0"))
        && Files.exists(Path.of(prefix + "started-1")));
    caller.interrupt();
    caller.join(Duration.ofSeconds(10));
    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(Path.of(prefix + "interrupted-0"))
        && Files.exists(Path.of(prefix + "interrupted-1")));
    for (int i = 2; i < 4; i++) { // a queued item may start between two CANCELs; then it is interrupted too
      Path startedLate = Path.of(prefix + "started-" + i);
      Path interruptedLate = Path.of(prefix + "interrupted-" + i);
      await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(startedLate) || Files.exists(interruptedLate));
    }
    assertThat(pool.map(x -> x * 3, List.of(1, 2))).containsExactly(3, 6);
  }

  // ---- idempotent retries -----------------------------------------------------------------

  @Test
  void shouldReRunAnIdempotentTaskWhoseWorkerDied() {
    String marker = dir.resolve("once-").toString();
    List<Integer> out = pool.map(Idempotent.task(x -> {
      Path m = Path.of(marker + x);
      if (x == 3 && !Files.exists(m)) {
        Files.writeString(m, "");
        Runtime.getRuntime().halt(9); // dies on the first attempt only
      }
      return x * 10;
    }), List.of(0, 1, 2, 3, 4, 5), MapOptions.builder().chunkSize(1).build());
    assertThat(out).containsExactly(0, 10, 20, 30, 40, 50);
  }

  @Test
  void shouldFailAnIdempotentTaskThatKillsEveryWorkerAfterTheRetryLimitAndKeepThePool() {
    assertThatThrownBy(() -> pool.map(Idempotent.task(x -> {
      if (x == 1) {
        Runtime.getRuntime().halt(9);
      }
      return x;
    }), List.of(0, 1, 2), MapOptions.builder().chunkSize(1).build()))
        .isInstanceOfSatisfying(WorkerDiedException.class, e -> {
          assertThat(e.index()).isEqualTo(1);
          assertThat(e.exitCode()).hasValue(9);
        });
    // 1 + 2 retries; events reach listeners on the pool's event thread, so wait for the third
    await().atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().filter(ev -> ev instanceof PoolEvent.WorkerDied).count() >= 3);
    assertThat(events.stream().filter(ev -> ev instanceof PoolEvent.WorkerDied).count()).isEqualTo(3);
    assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
  }

  // ---- bad input --------------------------------------------------------------------------

  /** Holds a thread: cannot be serialized. */
  record Unsendable(String name, Thread owner) implements Serializable {}

  @Test
  void shouldFailOnlyTheInputThatDoesNotSerializeNamingItsClassAndFieldPath() {
    Iterator<String> it = pool.imap(Unsendable::name,
        List.of(new Unsendable("a", null), new Unsendable("b", Thread.currentThread()), new Unsendable("c", null)),
        MapOptions.builder().chunkSize(3).build());
    assertThat(it.next()).isEqualTo("a");
    assertThatThrownBy(it::next).isInstanceOfSatisfying(TaskFailedException.class, e -> {
      assertThat(e.index()).isEqualTo(1);
      assertThat(e.getCause()).isInstanceOfSatisfying(NotSerializableValueException.class, n -> {
        assertThat(n.offendingClassName()).isEqualTo("java.lang.Thread");
        assertThat(n.path()).contains("owner");
      });
    });
  }

  @Test
  void shouldRefuseATaskThatDoesNotSerializeOnTheCallersThread() {
    Thread mine = Thread.currentThread();
    assertThatThrownBy(() -> pool.map(x -> x + mine.getName(), List.of(1)))
        .isInstanceOfSatisfying(NotSerializableValueException.class,
            e -> assertThat(e.offendingClassName()).isEqualTo("java.lang.Thread"));
  }

  @Test
  void shouldFailAResultThatDoesNotSerializeNamingItsClass() {
    assertThatThrownBy(() -> pool.map(x -> new Unsendable("r", Thread.currentThread()), List.of(1)))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.getCause().getMessage())
            .contains(Unsendable.class.getName()).contains("java.lang.Thread"));
  }

  @Test
  void shouldFailAResultLargerThanTheFrameLimitClearly() {
    // large values go through shared memory by default (LargePayloadIT); through the pipe, the frame limit holds
    try (ProcessPool piped = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD)
        .largePayloadThreshold(Long.MAX_VALUE).build()) {
      assertThatThrownBy(() -> piped.map(x -> new byte[65 << 20], List.of(1)))
          .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.getCause().getMessage())
              .contains("[B").contains("frame limit"));
      assertThat(piped.map(x -> x + 1, List.of(1))).containsExactly(2); // same worker, still serving
    }
  }

  // ---- shutdown ---------------------------------------------------------------------------

  @Test
  void shouldKillEveryWorkerOnShutdownNowAndReturnWhatNeverRan() throws Exception {
    ProcessPool one = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build();
    Path started = dir.resolve("shutdown-now");
    String startedFile = started.toString();
    CompletableFuture<Object> running = one.submit(() -> {
      Files.writeString(Path.of(startedFile), "");
      Work.pause(Duration.ofMinutes(5));
      return null;
    });
    List<Job<Integer>> jobs = new ArrayList<>();
    List<CompletableFuture<Integer>> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int x = i;
      Job<Integer> job = () -> x;
      jobs.add(job);
      waiting.add(one.submit(job));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started));
    List<ProcessHandle> workers = one.allWorkerProcesses();
    List<Object> neverRan = one.shutdownNow();
    assertThat(neverRan).containsExactlyElementsOf(jobs);
    assertThat(workers).noneMatch(ProcessHandle::isAlive); // verified by pid, at once
    assertThat(catchExecution(running).getCause()).isInstanceOf(WorkerDiedException.class);
    for (CompletableFuture<Integer> w : waiting) {
      assertThat(catchExecution(w).getCause()).isInstanceOf(RejectedExecutionException.class);
    }
    assertThatThrownBy(() -> one.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
  }

  // ---- output -----------------------------------------------------------------------------

  @Test
  void shouldForwardAJvmProcessOutputBeforeJoinReturns() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JvmProcess<Object> p = JvmProcess.builder().output(WorkerOutput.INHERIT).start(() -> {
        System.out.println("Inside process " + ProcessHandle.current().pid());
        return null;
      });
      p.join();
      assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Inside process " + p.pid());
    } finally {
      System.setOut(original);
    }
  }
}
