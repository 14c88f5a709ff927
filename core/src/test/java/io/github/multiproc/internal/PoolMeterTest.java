package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.PoolStats;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolMeterTest {

  private static Chunk<Integer> chunk(long first, int size) {
    return new Chunk<>(first, Collections.nCopies(size, 0));
  }

  private static ChunkResult<Integer> result(int size, int... failed) {
    ChunkResult<Integer> r = new ChunkResult<>(size);
    for (int i = 0; i < size; i++) {
      r.succeed(i, i);
    }
    for (int f : failed) {
      r.fail(f, new IllegalStateException("item " + f));
    }
    return r;
  }

  @Test
  void shouldCountItemsOfResultsAndWholeChunkFailuresButNotCancelledChunks() {
    PoolMeter meter = new PoolMeter("test");
    meter.chunkDone(chunk(0, 5), result(5), null, 0);
    meter.chunkDone(chunk(5, 4), result(4, 1, 3), null, 0);
    meter.chunkDone(chunk(9, 3), null, new IllegalStateException("the whole chunk"), 0);
    meter.chunkDone(chunk(12, 7), null, new CancellationException("cancelled"), 0);

    PoolStats s = meter.snapshot(BackendStats.idle(2));
    assertThat(s.itemsCompleted()).isEqualTo(12);
    assertThat(s.itemsFailed()).isEqualTo(5);
    assertThat(s.chunkLatency().count()).isZero();
  }

  @Test
  void shouldCountExactlyUnderConcurrentCompletions() throws Exception {
    PoolMeter meter = new PoolMeter("test");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      threads.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < 10_000; i++) {
          meter.chunkDone(chunk(i, 3), result(3, 2), null, i % 64 == 0 ? System.nanoTime() : 0);
        }
      });
    }
    go.countDown();
    threads.shutdown();
    assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

    PoolStats s = meter.snapshot(BackendStats.idle(1));
    assertThat(s.itemsCompleted()).isEqualTo(120_000);
    assertThat(s.itemsFailed()).isEqualTo(40_000);
    assertThat(s.chunkLatency().count()).isEqualTo(4 * 157); // i = 0, 64, ..., 9984
    assertThat(s.chunkLatency().windowSamples()).isEqualTo(4 * 157); // fewer than the ring holds: all in the window
  }

  @Test
  void shouldSampleLargeChunksAndEveryChunkStartingAtAMultipleOf64() {
    assertThat(PoolMeter.startNanos(chunk(0, 1))).isNotZero(); // a call's first chunk
    assertThat(PoolMeter.startNanos(chunk(1, 1))).isZero();
    assertThat(PoolMeter.startNanos(chunk(63, 1))).isZero();
    assertThat(PoolMeter.startNanos(chunk(128, 1))).isNotZero();
    assertThat(PoolMeter.startNanos(chunk(7, 64))).isNotZero(); // large enough to pay for the clock
    assertThat(PoolMeter.startNanos(Chunk.ofJob())).isZero(); // jobs: jobStartNanos()
  }

  @Test
  void shouldClampBackendFiguresSoThatWorkerStatesAddUp() {
    PoolMeter meter = new PoolMeter("test");
    PoolStats s = meter.snapshot(new BackendStats(3, 5, 1, 0, 5, PoolStats.Replacements.NONE));
    assertThat(s.workers()).isEqualTo(3);
    assertThat(s.startingWorkers()).isEqualTo(1);
    assertThat(s.busyWorkers()).isEqualTo(2);
    assertThat(s.idleWorkers()).isZero();
  }

  @Test
  void shouldComputeNearestRankPercentilesOverTheWindowOnly() {
    LatencyWindow w = new LatencyWindow(Duration.ofSeconds(60));
    long now = 1_000_000_000_000L;
    w.record(999_000, now - Duration.ofSeconds(61).toNanos()); // outside the window
    for (int i = 1; i <= 100; i++) {
      w.record(i * 1_000L, now - i);
    }
    PoolStats.Latency l = w.snapshot(now);
    assertThat(l.windowSamples()).isEqualTo(100);
    assertThat(l.p50()).isEqualTo(Duration.ofNanos(50_000));
    assertThat(l.p99()).isEqualTo(Duration.ofNanos(99_000));
    assertThat(l.max()).isEqualTo(Duration.ofNanos(100_000));
    assertThat(l.count()).isEqualTo(101); // the cumulative figures keep every sample
    assertThat(l.total()).isEqualTo(Duration.ofNanos(999_000 + 5_050_000));

    LatencyWindow three = new LatencyWindow(Duration.ofSeconds(60));
    three.record(30, now);
    three.record(10, now);
    three.record(20, now);
    assertThat(three.snapshot(now).p50()).isEqualTo(Duration.ofNanos(20)); // rank ceil(0.5 * 3) = 2
    assertThat(three.snapshot(now).p99()).isEqualTo(Duration.ofNanos(30));
  }

  @Test
  void shouldKeepOnlyTheLatestSamplesOnceTheRingIsFull() {
    LatencyWindow w = new LatencyWindow(Duration.ofSeconds(60));
    long now = 5_000_000_000_000L;
    for (int i = 0; i < LatencyWindow.CAPACITY; i++) {
      w.record(1_000_000, now); // overwritten below
    }
    for (int i = 0; i < LatencyWindow.CAPACITY; i++) {
      w.record(10, now);
    }
    PoolStats.Latency l = w.snapshot(now);
    assertThat(l.windowSamples()).isEqualTo(LatencyWindow.CAPACITY);
    assertThat(l.max()).isEqualTo(Duration.ofNanos(10));
    assertThat(w.snapshot(now + Duration.ofMinutes(2).toNanos()).windowSamples()).isZero();
    assertThat(List.of(w.snapshot(now + Duration.ofMinutes(2).toNanos()).p99())).containsExactly(Duration.ZERO);
  }
}
