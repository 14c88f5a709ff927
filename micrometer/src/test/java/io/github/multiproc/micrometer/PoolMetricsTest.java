package io.github.multiproc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.PoolStats;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.spi.ChunkDispatcher;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PoolMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void shouldExposeItemsWorkersChunksAndLatencyWithMicrometerNames() throws Exception {
    try (Pool pool = ThreadPool.create(2); PoolMetrics metrics = new PoolMetrics(pool, "squares", Tags.of("app", "test"))) {
      metrics.bindTo(registry);
      pool.map(x -> x * x, IntStream.range(0, 200).boxed().toList(), MapOptions.builder().chunkSize(10).build());
      catchThrowable(() -> pool.submit(() -> {
        throw new IllegalStateException("no");
      }).join());
      CountDownLatch release = new CountDownLatch(1);
      var running = pool.submit(() -> release.await(1, TimeUnit.MINUTES));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(counter("multiproc.items", "pool", "squares", "outcome", "success")).isEqualTo(200);
        assertThat(counter("multiproc.items", "pool", "squares", "outcome", "failure")).isEqualTo(1);
        assertThat(gauge("multiproc.workers", "state", "busy")).isEqualTo(1);
        assertThat(gauge("multiproc.workers", "state", "idle")).isEqualTo(1);
        assertThat(gauge("multiproc.chunks", "state", "in_flight")).isEqualTo(1);
      });
      assertThat(gauge("multiproc.workers", "state", "starting")).isZero();
      assertThat(gauge("multiproc.chunks", "state", "queued")).isZero();
      assertThat(counter("multiproc.workers.replaced", "reason", "died")).isZero();
      assertThat(counter("multiproc.workers.replaced", "reason", "timed_out")).isZero();
      assertThat(counter("multiproc.workers.replaced", "reason", "recycled")).isZero();
      FunctionTimer latency = registry.get("multiproc.chunk.latency").tags("app", "test").functionTimer();
      assertThat(latency.count()).isEqualTo(pool.stats().chunkLatency().count()).isPositive();
      assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(gauge("multiproc.chunk.latency.percentile", "phi", "0.5")).isPositive();
      assertThat(gauge("multiproc.chunk.latency.percentile", "phi", "0.99"))
          .isGreaterThanOrEqualTo(gauge("multiproc.chunk.latency.percentile", "phi", "0.5"));
      assertThat(registry.get("multiproc.chunk.latency.max").gauge().getId().getBaseUnit()).isEqualTo("seconds");
      release.countDown();
      running.join();
    }
  }

  @Test
  void shouldReportReplacementsByReason() {
    try (Pool pool = new FixedPool(new BackendStats(4, 1, 2, 3, 5, new PoolStats.Replacements(7, 8, 9)));
        PoolMetrics metrics = new PoolMetrics(pool, "fixed")) {
      metrics.bindTo(registry);
      assertThat(counter("multiproc.workers.replaced", "reason", "died")).isEqualTo(7);
      assertThat(counter("multiproc.workers.replaced", "reason", "timed_out")).isEqualTo(8);
      assertThat(counter("multiproc.workers.replaced", "reason", "recycled")).isEqualTo(9);
      assertThat(gauge("multiproc.workers", "state", "busy")).isEqualTo(1);
      assertThat(gauge("multiproc.workers", "state", "idle")).isEqualTo(1);
      assertThat(gauge("multiproc.workers", "state", "starting")).isEqualTo(2);
      assertThat(gauge("multiproc.chunks", "state", "queued")).isEqualTo(3);
      assertThat(gauge("multiproc.chunks", "state", "in_flight")).isEqualTo(5);
    }
  }

  @Test
  void shouldTakeOneSnapshotForAPublicationAndRemoveItsMetersOnClose() {
    FixedPool pool = new FixedPool(BackendStats.idle(2));
    long[] now = {0};
    PoolMetrics metrics = new PoolMetrics(pool, "fixed", Tags.empty(), () -> now[0]);
    metrics.bindTo(registry);
    registry.getMeters().forEach(m -> m.measure().forEach(x -> x.getValue()));
    assertThat(pool.snapshots.get()).isEqualTo(1);
    now[0] += TimeUnit.MILLISECONDS.toNanos(PoolMetrics.SNAPSHOT_MILLIS);
    registry.getMeters().forEach(m -> m.measure().forEach(x -> x.getValue()));
    assertThat(pool.snapshots.get()).isEqualTo(2);

    metrics.close();
    metrics.close(); // idempotent
    assertThat(registry.getMeters()).isEmpty();
    pool.close();
  }

  /** A pool whose backend figures are fixed, to check each meter's source. */
  private static final class FixedPool extends AbstractPool {
    private final BackendStats figures;
    final AtomicInteger snapshots = new AtomicInteger();

    FixedPool(BackendStats figures) {
      super("FixedPool");
      this.figures = figures;
    }

    @Override
    public int workers() {
      return figures.workers();
    }

    @Override
    protected BackendStats backendStats() {
      snapshots.incrementAndGet();
      return figures;
    }

    @Override
    protected <T, R> ChunkDispatcher<T, R> openCall(io.github.multiproc.Task<? super T, ? extends R> task,
        MapOptions options) {
      throw new UnsupportedOperationException("runs nothing");
    }

    @Override
    protected void doClose() {}
  }

  @Test
  void shouldKeepReportingWhenTheCallerDropsTheBinder() {
    try (Pool pool = ThreadPool.create(1)) {
      new PoolMetrics(pool, "dropped").bindTo(registry);
      pool.map(x -> x, List.of(1, 2, 3));
      System.gc();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(counter("multiproc.items", "pool", "dropped", "outcome", "success")).isEqualTo(3));
    }
  }
}
