package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolStats;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers are recycled by memory: a task that leaks on purpose (on the heap, or natively) makes
 * its worker's resident memory pass {@code maxWorkerMemory}, and the worker is replaced after the
 * chunk it holds, reported and counted; a task that throws {@code OutOfMemoryError} fails only its
 * item, and its worker is replaced (JFR records its exit as "over memory").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryRecyclingIT {

  /** What the leaking tasks keep: lives in the worker JVM, one per worker. */
  static final class Leak {
    static final List<Object> KEPT = new ArrayList<>();

    private Leak() {}
  }

  /** Keeps 16 MiB of heap per item, touched so that it is resident, and returns the worker's pid. */
  static final Task<Integer, Long> LEAK_HEAP = i -> {
    byte[] kept = new byte[16 << 20];
    for (int k = 0; k < kept.length; k += 4096) {
      kept[k] = 1;
    }
    Leak.KEPT.add(kept);
    return ProcessHandle.current().pid();
  };

  /** Keeps 16 MiB of native memory per item (a direct buffer, as a leaky native library would). */
  static final Task<Integer, Long> LEAK_NATIVE = i -> {
    ByteBuffer kept = ByteBuffer.allocateDirect(16 << 20);
    for (int k = 0; k < kept.capacity(); k += 4096) {
      kept.put(k, (byte) 1);
    }
    Leak.KEPT.add(kept);
    return ProcessHandle.current().pid();
  };

  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void shouldReplaceAWorkerWhoseHeapLeakPassedMaxWorkerMemoryAfterItsChunk() {
    assertRecycled(LEAK_HEAP, "-Xmx1g");
  }

  @Test
  void shouldReplaceAWorkerWhoseNativeLeakPassedMaxWorkerMemoryAfterItsChunk() {
    assertRecycled(LEAK_NATIVE, "-XX:MaxDirectMemorySize=1g");
  }

  private void assertRecycled(Task<Integer, Long> leak, String jvmArg) {
    PoolStats stats;
    List<Long> pids;
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).jvmArgs(jvmArg)
        .maxWorkerMemory(200L << 20).eventListener(events::add).build()) {
      long first = pool.workerPids().getFirst();

      pids = pool.map(leak, IntStream.range(0, 30).boxed().toList(), MapOptions.builder().chunkSize(1).build());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> // the last one may still be replacing
          assertThat(pool.workerPids()).hasSize(1).doesNotContain(first));
      stats = pool.stats();
    }

    // 30 x 16 MiB leaked, a worker retired past 200 MiB: at least two of them ran the items
    assertThat(pids).hasSize(30).doesNotContainNull();
    assertThat(pids.stream().distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(stats.replacements().overMemory()).isGreaterThanOrEqualTo(1);
    assertThat(stats.replacements().died()).isZero();
    assertThat(stats.itemsFailed()).isZero();
    List<PoolEvent.WorkerMemoryExceeded> exceeded = events.stream()
        .filter(e -> e instanceof PoolEvent.WorkerMemoryExceeded).map(e -> (PoolEvent.WorkerMemoryExceeded) e).toList();
    assertThat(exceeded).hasSize((int) stats.replacements().overMemory())
        .allSatisfy(e -> assertThat(e.reason()).matches("resident memory \\d+ MiB passed maxWorkerMemory 200 MiB"));
    assertThat(events).filteredOn(e -> e instanceof PoolEvent.WorkerRetired r && r.reason().startsWith("resident memory"))
        .hasSameSizeAs(exceeded);
    assertThat(events).noneMatch(e -> e instanceof PoolEvent.WorkerDied);
  }

  /** Input 2 asks for 2 GiB: more than the worker's heap. */
  static final Task<Integer, Integer> GREEDY = i -> i == 2 ? new long[1 << 28].length : i * 10;

  @Test
  void shouldFailOnlyTheItemThatRanOutOfMemoryAndReplaceItsWorker(@TempDir Path dir) throws IOException {
    PoolStats stats;
    Throwable t;
    List<Integer> after;
    long first;
    List<RecordedEvent> exits;
    try (Recording recording = new Recording()) {
      recording.enable("io.github.multiproc.WorkerExit");
      recording.start();
      try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).jvmArgs("-Xmx64m")
          .eventListener(events::add).build()) {
        first = pool.workerPids().getFirst();
        MapOptions oneChunk = MapOptions.builder().chunkSize(5).build();

        t = catchThrowable(() -> pool.map(GREEDY, List.of(0, 1, 2, 3, 4), oneChunk));
        after = pool.map(GREEDY, List.of(5, 6));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(pool.workerPids()).hasSize(1).doesNotContain(first));
        stats = pool.stats();
      }
      recording.stop();
      Path file = dir.resolve("pool.jfr");
      recording.dump(file);
      exits = RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().equals("io.github.multiproc.WorkerExit")).toList();
    }
    assertThat(exits).filteredOn(e -> e.getLong("pid") == first).singleElement().satisfies(e -> {
      assertThat(e.getString("reason")).isEqualTo("over memory");
      assertThat(e.getBoolean("planned")).isTrue();
      assertThat(e.getLong("itemsLost")).isZero();
    });

    assertThat(t).isInstanceOf(TaskFailedException.class);
    assertThat(((TaskFailedException) t).index()).isEqualTo(2);
    assertThat(t.getCause()).isInstanceOf(WorkerOutOfMemoryException.class)
        .hasMessageContaining("ran out of memory").hasMessageContaining("Java heap space")
        .hasMessageContaining("-Xmx").hasCauseInstanceOf(OutOfMemoryError.class);
    assertThat(after).containsExactly(50, 60);
    assertThat(stats.itemsFailed()).isEqualTo(1); // not the whole chunk, as before (its worker halted)
    assertThat(stats.itemsCompleted()).isEqualTo(7);
    assertThat(stats.replacements()).isEqualTo(new PoolStats.Replacements(0, 0, 0, 1));
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PoolEvent.WorkerMemoryExceeded.class,
        m -> assertThat(m.reason()).contains("OutOfMemoryError")));
    assertThat(events).noneMatch(e -> e instanceof PoolEvent.WorkerDied);
  }
}
