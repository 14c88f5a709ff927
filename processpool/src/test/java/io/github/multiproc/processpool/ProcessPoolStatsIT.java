package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolStats;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.Work;
import io.github.multiproc.WorkerDiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessPool#stats()} and the pool's events agree with what happened: clean runs, real
 * {@code SIGKILL}s, tasks that overrun their timeout, recycled workers, and work held or queued.
 * Each case builds its own pool so that counts start at zero.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessPoolStatsIT {

  @TempDir
  Path dir;

  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();

  private ProcessPool.Builder pool(int workers) {
    return ProcessPool.builder().workers(workers).output(WorkerOutput.DISCARD).eventListener(events::add);
  }

  @Test
  void shouldReportWorkerStartedThenWorkerRetiredForACleanMapAndClose() {
    ProcessPool pool = pool(2).build();
    List<Long> pids = pool.workerPids();
    assertThat(pool.map(x -> x * 2, IntStream.range(0, 20).boxed().toList())).hasSize(20);
    pool.close(); // events before close returns are delivered before it returns

    assertThat(events).hasSize(4).noneMatch(e -> e instanceof PoolEvent.WorkerDied);
    assertThat(events.subList(0, 2)).allMatch(e -> e instanceof PoolEvent.WorkerStarted)
        .extracting(PoolEvent::pid).containsExactlyInAnyOrderElementsOf(pids);
    assertThat(events.subList(2, 4)).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(
        PoolEvent.WorkerRetired.class, r -> assertThat(r.reason()).isEqualTo("the pool closed")))
        .extracting(PoolEvent::pid).containsExactlyInAnyOrderElementsOf(pids);
    PoolStats s = pool.stats();
    assertThat(s.itemsCompleted()).isEqualTo(20);
    assertThat(s.itemsFailed()).isZero();
    assertThat(s.replacements().total()).isZero(); // leaving at close is no replacement
    assertThat(s.workers()).isZero();
  }

  @Test
  void shouldCountAWorkerKilledBySigkillAsDiedAndItsItemAsFailed() throws Exception {
    try (ProcessPool pool = pool(2).build()) {
      Path started = dir.resolve("started");
      String startedFile = started.toString();
      CompletableFuture<Object> dying = pool.submit(() -> {
        Files.writeString(Path.of(startedFile), Long.toString(ProcessHandle.current().pid()));
        Work.pause(Duration.ofMinutes(5)); // the test kills this worker
        return null;
      });
      List<CompletableFuture<Integer>> others = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int x = i;
        others.add(pool.submit(() -> x * 2));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
      long pid = Long.parseLong(Files.readString(started));
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();

      assertThatThrownBy(dying::get).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(WorkerDiedException.class);
      for (CompletableFuture<Integer> f : others) {
        f.get(20, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        PoolStats s = pool.stats();
        assertThat(s.replacements()).isEqualTo(new PoolStats.Replacements(1, 0, 0));
        assertThat(s.itemsCompleted()).isEqualTo(7);
        assertThat(s.itemsFailed()).isEqualTo(1);
        assertThat(s.workers()).isEqualTo(2); // the replacement is ready
        assertThat(s.startingWorkers()).isZero();
        assertThat(s.chunksInFlight()).isZero();
      });
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
          .anyMatch(e -> e instanceof PoolEvent.WorkerDied d && d.pid() == pid)
          .anyMatch(e -> e instanceof PoolEvent.WorkerReplaced r && r.replacedPid() == pid)
          .noneMatch(e -> e instanceof PoolEvent.WorkerRetired));
    }
  }

  @Test
  void shouldCountAWorkerStoppedByATaskThatIgnoresItsTimeoutAsTimedOutAndRetired() {
    try (ProcessPool pool = pool(2).taskTimeoutGrace(Duration.ofMillis(300)).build()) {
      MapOptions oneChunk = MapOptions.builder().chunkSize(6).taskTimeout(Duration.ofMillis(300)).build();
      assertThatThrownBy(() -> pool.map(x -> {
        if (x == 2) {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (System.nanoTime() < end) {
            Thread.interrupted(); // ignores interrupts on purpose: the worker stops itself after the grace
          }
        }
        return x;
      }, IntStream.range(0, 6).boxed().toList(), oneChunk)).isInstanceOf(TaskTimeoutException.class);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        PoolStats s = pool.stats();
        assertThat(s.replacements()).isEqualTo(new PoolStats.Replacements(0, 1, 0));
        assertThat(s.itemsCompleted()).isEqualTo(6); // the items after #2 ran again in another worker
        assertThat(s.itemsFailed()).isEqualTo(1);
        assertThat(s.workers()).isEqualTo(2);
      });
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
          .anyMatch(e -> e instanceof PoolEvent.TaskTimedOut t && t.index() == 2)
          .anyMatch(e -> e instanceof PoolEvent.WorkerRetired)
          .anyMatch(e -> e instanceof PoolEvent.WorkerReplaced));
      assertThat(events).noneMatch(e -> e instanceof PoolEvent.WorkerDied); // a timeout is no crash
    }
  }

  @Test
  void shouldCountWorkersRetiredAtTheirTaskLimitAsRecycled() {
    try (ProcessPool pool = pool(1).maxTasksPerWorker(5).build()) {
      assertThat(pool.map(x -> x + 1, IntStream.range(0, 20).boxed().toList(),
          MapOptions.builder().chunkSize(1).build())).hasSize(20);
      // four workers ran five items each, and each retired at its limit
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        PoolStats s = pool.stats();
        assertThat(s.replacements()).isEqualTo(new PoolStats.Replacements(0, 0, 4));
        assertThat(s.itemsCompleted()).isEqualTo(20);
        assertThat(s.workers()).isEqualTo(1);
        assertThat(s.startingWorkers()).isZero();
      });
      assertThat(events).noneMatch(e -> e instanceof PoolEvent.WorkerDied);
    }
  }

  @Test
  void shouldReportChunksHeldByABusyWorkerAndChunksQueuedForOne() {
    try (ProcessPool pool = pool(1).build()) {
      List<CompletableFuture<Integer>> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        jobs.add(pool.submit(() -> {
          Work.pause(Duration.ofMinutes(5));
          return 0;
        }));
      }
      // one running and one waiting in the worker's pipe (two per worker), three queued in the parent
      try {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          PoolStats s = pool.stats();
          assertThat(s.busyWorkers()).isEqualTo(1);
          assertThat(s.idleWorkers()).isZero();
          assertThat(s.chunksInFlight()).isEqualTo(2);
          assertThat(s.chunksQueued()).isEqualTo(3);
        });
      } finally {
        jobs.forEach(f -> f.cancel(true)); // else close() waits for the paused jobs
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        PoolStats s = pool.stats();
        assertThat(s.busyWorkers()).isZero();
        assertThat(s.idleWorkers()).isEqualTo(1);
        assertThat(s.chunksInFlight() + s.chunksQueued()).isZero();
        assertThat(s.itemsCompleted()).isZero(); // cancelled items are not counted
      });
    }
  }
}
