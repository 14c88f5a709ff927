package io.github.multiproc.processpool;

import io.github.multiproc.Idempotent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos: 10,000-item {@code map}s on 2 workers while a killer thread sends {@code SIGKILL} to a
 * random live worker at random times. Every item must complete exactly once with its own result
 * (the task is {@link Idempotent}, so chunks of killed workers run again) or the call must fail
 * with a clear {@link WorkerDiedException}; nothing may hang; afterwards no worker process and no
 * temporary file of ours may remain.
 *
 * <p>In the suite it runs until at least 20 kills and at least one full map (about 15-30 s). With
 * {@code -Dchaos.minutes=N} (read by this test only) it keeps running maps for N minutes and prints
 * its figures: items, kills, failures, recovery-time percentiles.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ChaosIT {

  private static final int ITEMS = 10_000;
  private static final int MIN_KILLS = 20;
  /** The in-suite run's hard deadline. */
  private static final Duration SUITE_DEADLINE = Duration.ofSeconds(90);

  /** About 0.3 ms of work per item, without sleeping. */
  private static final Task<Integer, Long> WORK = Idempotent.task(x -> {
    long end = System.nanoTime() + 300_000;
    long acc = x;
    while (System.nanoTime() < end) {
      acc = acc * 31 + 7;
    }
    return (long) x * 3 + (acc == 42 ? 1 : 0) * 0;
  });

  @Test
  void shouldCompleteEveryItemExactlyOnceOrFailClearlyWhileWorkersAreKilledAtRandom() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0"));
    Duration runFor = Duration.ofMillis((long) (minutes * 60_000));
    Path workerTemp = Files.createTempDirectory("chaos-workers");
    Set<Path> shmBefore = shmFiles();
    ConcurrentLinkedQueue<Long> recoveryNanos = new ConcurrentLinkedQueue<>();
    ConcurrentHashMap<Long, Long> killedAt = new ConcurrentHashMap<>();
    AtomicInteger failedCalls = new AtomicInteger();
    AtomicInteger failedItems = new AtomicInteger();
    long items = 0;
    int maps = 0;
    ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).idempotentRetries(1_000)
        .jvmArgs("-Djava.io.tmpdir=" + workerTemp) // whatever the workers leave in temp lands here
        .eventListener(e -> {
          if (e instanceof PoolEvent.WorkerReplaced r) {
            Long at = killedAt.remove(r.replacedPid());
            if (at != null) {
              recoveryNanos.add(System.nanoTime() - at);
            }
          } else if (e instanceof PoolEvent.TaskFailed) {
            failedItems.incrementAndGet();
          }
        }).build();
    // in the suite: a few kills more than the minimum, then the map finishes in peace (bounded time)
    RandomKiller killer = new RandomKiller(pool, 20_261_122, runFor.isZero() ? MIN_KILLS + 4 : Integer.MAX_VALUE,
        killedAt);
    AtomicInteger kills = killer.kills;
    long started = System.nanoTime();
    try {
      List<Integer> inputs = IntStream.range(0, ITEMS).boxed().toList();
      MapOptions options = MapOptions.builder().chunkSize(25).build();
      while (true) {
        try {
          List<Long> results = pool.map(WORK, inputs, options);
          assertThat(results).hasSize(ITEMS);
          for (int i = 0; i < ITEMS; i++) {
            assertThat(results.get(i)).isEqualTo(3L * i);
          }
        } catch (TaskFailedException e) {
          // a clear failure: a chunk ran out of retries; it names the worker and how it died
          assertThat(e).isInstanceOf(WorkerDiedException.class);
          assertThat(((WorkerDiedException) e).exitCode()).hasValue(137);
          failedCalls.incrementAndGet();
        }
        items += ITEMS;
        maps++;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        boolean enough = kills.get() >= MIN_KILLS && elapsed.compareTo(runFor) >= 0;
        if (enough || (runFor.isZero() && elapsed.compareTo(SUITE_DEADLINE) > 0)) {
          break;
        }
      }
    } finally {
      killer.close();
      pool.close();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    List<Long> sorted = new ArrayList<>(recoveryNanos);
    Collections.sort(sorted);
    System.out.printf("chaos: %d maps, %d items, %d kills, %d failed calls, %d failed items, %.1f s, "
            + "recovery (kill -> replacement ready) p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (%d samples)%n",
        maps, items, kills.get(), failedCalls.get(), failedItems.get(), elapsed.toMillis() / 1000.0,
        percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 100), sorted.size());
    assertThat(kills.get()).isGreaterThanOrEqualTo(MIN_KILLS);
    assertThat(pool.allWorkerProcesses()).hasSizeGreaterThan(kills.get()).noneMatch(ProcessHandle::isAlive);
    // nothing was left behind: no temporary file of the workers, no new shared-memory file
    try (Stream<Path> left = Files.list(workerTemp)) {
      assertThat(left).isEmpty();
    }
    Files.delete(workerTemp);
    Set<Path> shmLeft = shmFiles();
    shmLeft.removeAll(shmBefore);
    assertThat(shmLeft).noneMatch(p -> p.getFileName().toString().contains("multiproc"));
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }

  /** The files in /dev/shm (empty where there is none). */
  private static Set<Path> shmFiles() throws IOException {
    Path shm = Path.of("/dev/shm");
    Set<Path> found = new java.util.TreeSet<>();
    if (Files.isDirectory(shm)) {
      try (Stream<Path> s = Files.list(shm)) {
        s.forEach(found::add);
      }
    }
    return found;
  }
}
