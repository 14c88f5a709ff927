package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.shm.SharedMemory;
import io.github.multiproc.processpool.internal.parent.WorkerPipes;
import io.github.multiproc.processpool.plain.StartingPool;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation boundary: what a worker returns, how it dies and when its parent dies must never
 * hang a caller, run an item twice, cost a healthy worker, or leave a process or file behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IsolationIT {

  /** Set only in the test JVM (the parent): a value's readObject misbehaves only here. */
  private static final String PARENT = "multiproc.isolation.parent";

  static {
    System.setProperty(PARENT, "true");
  }

  @TempDir Path dir;

  /**
   * A result that decodes in the parent only after {@code millis}, or throws an Error. A class,
   * not a record: serialization never calls a record's readObject.
   */
  static final class Troublesome implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private final long millis;
    private final boolean error;

    Troublesome(long millis, boolean error) {
      this.millis = millis;
      this.error = error;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      if (System.getProperty(PARENT) == null) {
        return; // in a worker: decodes as any value
      }
      if (error) {
        throw new InternalError("a value's readObject failed in the parent");
      }
      long end = millis < 0 ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < end) { // blocks or loops, ignoring interrupts, as hostile code would
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void shouldFailAnItemWhoseResultNeverDecodesInsteadOfHangingAndKeepTheWorker() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
        .resultDecodeTimeout(Duration.ofSeconds(1)).build()) {
      long pid = pool.workerPids().getFirst();
      Throwable t = catchThrowable(() -> pool.map(x -> x == 1 ? new Troublesome(60_000, false) : x, List.of(0, 1, 2),
          MapOptions.builder().chunkSize(1).build()));
      assertThat(t).isInstanceOf(TaskFailedException.class);
      assertThat(((TaskFailedException) t).index()).isEqualTo(1);
      assertThat(t.getCause()).isInstanceOf(CodecException.class).hasMessageContaining("did not finish decoding");
      Throwable e = catchThrowable(() -> pool.submit(() -> new Troublesome(0, true)).get(30, TimeUnit.SECONDS));
      assertThat(e).isInstanceOf(ExecutionException.class);
      assertThat(e.getCause()).isInstanceOf(CodecException.class).hasRootCauseInstanceOf(InternalError.class);
      assertThat(pool.workerPids()).containsExactly(pid); // a value the parent cannot decode costs no worker
      assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3);
    }
  }

  @Test
  void shouldHonourWhatADeadWorkerAnsweredAndNeverRunANonIdempotentItemTwice() throws Exception {
    Path ran = dir.resolve("ran");
    Path running = dir.resolve("running");
    String ranFile = ran.toString();
    String runningFile = running.toString();
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD).build()) {
      long pid = pool.workerPids().getFirst();
      CompletableFuture<Object> slowToDecode = pool.submit(() -> new Troublesome(1500, false));
      CompletableFuture<Object> quick = pool.submit(() -> "quick");
      CompletableFuture<Object> killed = pool.submit(() -> {
        Files.writeString(Path.of(ranFile), "x\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(Path.of(runningFile), "yes");
        Thread.sleep(60_000);
        return "never";
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(running));
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      assertThat(slowToDecode.get(30, TimeUnit.SECONDS)).isInstanceOf(Troublesome.class);
      assertThat(quick.get(30, TimeUnit.SECONDS)).isEqualTo("quick");
      Throwable t = catchThrowable(() -> killed.get(30, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WorkerDiedException.class);
      await().atMost(Duration.ofSeconds(20)).until(() -> pool.workerPids().size() == 1
          && !pool.workerPids().contains(pid));
      assertThat(pool.map(x -> x, List.of(1))).containsExactly(1);
      assertThat(Files.readAllLines(ran)).hasSize(1); // ran once, never again on the replacement
    }
  }

  /** Halts the worker that decodes it, once per marker file: a worker that dies right after HELLO. */
  static final class HaltOnArrival implements FaultInjector {
    @Serial private static final long serialVersionUID = 1L;
    private final String marker;

    HaltOnArrival(String marker) {
      this.marker = marker;
    }

    @Override
    public Action at(Stage stage, long index) {
      return Action.NONE;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      if (System.getProperty(PARENT) == null) {
        try {
          Files.createFile(Path.of(marker)); // only the first worker to get here
          Runtime.getRuntime().halt(3);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // a later worker: live on
        }
      }
    }
  }

  @Test
  void shouldReplaceAWorkerThatDiedRightAfterItsHandshake() throws Exception {
    List<PoolEvent> events = new CopyOnWriteArrayList<>();
    try (ProcessPool pool = ProcessPool.builder().workers(3).aotCache(false).output(WorkerOutput.DISCARD)
        .eventListener(events::add).faultInjector(new HaltOnArrival(dir.resolve("halted").toString())).build()) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(pool.workerPids()).hasSize(3);
        assertThat(events).anyMatch(e -> e instanceof PoolEvent.WorkerDied d && d.exitCode().orElse(0) == 3)
            .anyMatch(e -> e instanceof PoolEvent.WorkerReplaced);
      });
      assertThat(pool.map(x -> x * 2, List.of(1, 2, 3, 4, 5, 6), MapOptions.builder().chunkSize(1).build()))
          .containsExactly(2, 4, 6, 8, 10, 12);
    }
  }

  @Test
  void shouldSayAWorkerKilledDuringStartWasKilledNotMisconfigured() throws Exception {
    Path flagDir = Files.createDirectories(dir.resolve("pause"));
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> catchThrowable(() ->
        ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
            .workingDirectory(flagDir).jvmArgs("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup").build()));
    // the worker waits for its vm.paused.<pid> file to go; kill it there, before HELLO
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try (Stream<Path> s = Files.list(flagDir)) {
        return s.anyMatch(p -> p.getFileName().toString().startsWith("vm.paused."));
      }
    });
    long pid;
    try (Stream<Path> s = Files.list(flagDir)) {
      pid = Long.parseLong(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vm.paused."))
          .findFirst().orElseThrow().substring("vm.paused.".length()));
    }
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Throwable t = failure.get(30, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(WorkerStartException.class).hasMessageContaining("killed by signal 9 (SIGKILL)")
        .hasMessageContaining("not its class path");
  }

  @Test
  void shouldNotQueueAShortItemBehindALongOneWhileAWorkerIdles() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).output(WorkerOutput.DISCARD).build()) {
      Task<Integer, Long> sleepThenPid = ms -> {
        Thread.sleep(ms);
        return ProcessHandle.current().pid();
      };
      List<Long> pids = pool.map(sleepThenPid, List.of(1500, 10, 1500, 10), MapOptions.builder().chunkSize(1).build());
      assertThat(pids.get(0)).isNotEqualTo(pids.get(2)); // the two long items ran side by side
    }
  }

  @Test
  void shouldSweepTheSharedMemoryOfAJvmProcessChildThatLeftIt() throws Exception {
    String name = "isolation-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    JvmProcess<Long> child = JvmProcess.start(() -> {
      SharedMemory.create(name, 4096); // never unlinked, never closed
      return ProcessHandle.current().pid();
    });
    child.result();
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/dev/shm", name)));
  }

  @Test
  void shouldEndEveryWorkerAndLeaveNoDirectoryWhenTheParentIsKilledWhileTheyStart() throws Exception {
    Random random = new Random(42);
    List<Long> parents = new ArrayList<>();
    int rounds = Integer.getInteger("chaos.parentKills", 8); // the goal run: -Dchaos.parentKills=100
    int survivors = 0;
    for (int round = 0; round < rounds; round++) {
      String marker = "kill-at-start-" + ProcessHandle.current().pid() + "-" + round;
      Process parent = PlainJava.command(List.of(), PlainJava.moduleClassPath(), StartingPool.class, marker)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      parents.add(parent.pid());
      long delay = 150 + random.nextInt(600);
      await().pollDelay(Duration.ofMillis(delay)).atMost(Duration.ofSeconds(5)).until(() -> true);
      parent.destroyForcibly();
      assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> workersMarked(marker).isEmpty());
      survivors += workersMarked(marker).size();
    }
    int swept = WorkerPipes.sweepAbandoned(); // what a later pool does
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (long p : parents) {
      try (Stream<Path> left = Files.list(tmp)) {
        assertThat(left.map(x -> x.getFileName().toString()))
            .noneMatch(n -> n.startsWith(WorkerPipes.PREFIX + p + "-"));
      }
    }
    System.out.printf("parent kills during start-up: %d parents killed, %d workers alive 2 s later, "
        + "%d pipe directories left by dead parents (swept)%n", rounds, survivors, swept);
  }

  @Test
  void shouldSayWhatCrashedInANativeCrashAndWhereItsReportIs() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
        .jvmArgs("--enable-native-access=ALL-UNNAMED").build()) {
      Throwable t = catchThrowable(() -> pool.submit(() -> {
        java.lang.foreign.MemorySegment.ofAddress(0).reinterpret(8).set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 1L);
        return "unreachable";
      }).get(60, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WorkerDiedException.class);
      WorkerDiedException died = (WorkerDiedException) t.getCause();
      assertThat(died.getMessage()).contains("SIGSEGV").contains("crash report")
          .contains("multiproc-crashes").contains("hs_err_pid" + died.pid() + ".log");
      Path report = Path.of(System.getProperty("java.io.tmpdir"), "multiproc-crashes",
          "hs_err_pid" + died.pid() + ".log");
      assertThat(report).exists();
      assertThat(Path.of("hs_err_pid" + died.pid() + ".log")).doesNotExist(); // not in the user's directory
      Files.delete(report);
    }
  }

  @Test
  void shouldShowTheCallersFramesInAFailureThrownToIt() throws Exception {
    JvmProcess<Object> child = JvmProcess.start(() -> {
      Runtime.getRuntime().halt(5);
      return null;
    });
    Throwable t = catchThrowable(child::result);
    assertThat(t).isInstanceOf(WorkerDiedException.class);
    assertThat(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("shouldShowTheCallersFramesInAFailureThrownToIt"));
    assertThat(t.getSuppressed()).hasAtLeastOneElementOfType(TaskFailedException.BuiltOnAPoolThread.class);
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD).build()) {
      Throwable m = catchThrowable(() -> pool.map(x -> {
        Runtime.getRuntime().halt(6);
        return x;
      }, List.of(1)));
      assertThat(m).isInstanceOf(WorkerDiedException.class);
      assertThat(m.getStackTrace())
          .anyMatch(f -> f.getMethodName().equals("shouldShowTheCallersFramesInAFailureThrownToIt")
              || f.getMethodName().startsWith("lambda$shouldShowTheCallersFramesInAFailureThrownToIt"));
    }
  }

  private static List<ProcessHandle> workersMarked(String marker) {
    return ProcessHandle.allProcesses().filter(h -> h.info().arguments()
        .map(a -> Stream.of(a).anyMatch(s -> s.contains(marker))).orElse(false))
        .filter(ParentDeathIT::running).toList();
  }
}
