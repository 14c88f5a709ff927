package io.github.multiproc.micrometer;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a pool's {@link PoolStats} to a Micrometer {@link MeterRegistry}, named by Micrometer's
 * conventions (dot-separated lower case, base units, one name per quantity with tags for its
 * parts), so every registry (Prometheus, OTLP, JMX...) renders them in its own style.
 *
 * {@snippet :
 * ProcessPool pool = ProcessPool.create(4);
 * PoolMetrics metrics = new PoolMetrics(pool, "ingest");    // tag pool=ingest on every meter
 * metrics.bindTo(registry);
 * // ... later, before or after pool.close():
 * metrics.close();                                          // removes the meters
 * }
 *
 * <table class="striped">
 * <caption>Meters (each also tagged {@code pool=<name>})</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>from</th></tr>
 * <tr><td>{@code multiproc.workers}</td><td>gauge</td><td>{@code state=busy|idle|starting}</td>
 *     <td>{@link PoolStats#busyWorkers()}, {@link PoolStats#idleWorkers()},
 *     {@link PoolStats#startingWorkers()}</td></tr>
 * <tr><td>{@code multiproc.chunks}</td><td>gauge</td><td>{@code state=queued|in_flight}</td>
 *     <td>{@link PoolStats#chunksQueued()}, {@link PoolStats#chunksInFlight()}</td></tr>
 * <tr><td>{@code multiproc.items}</td><td>function counter</td>
 *     <td>{@code outcome=success|failure}</td><td>{@link PoolStats#itemsSucceeded()},
 *     {@link PoolStats#itemsFailed()}</td></tr>
 * <tr><td>{@code multiproc.workers.replaced}</td><td>function counter</td>
 *     <td>{@code reason=died|timed_out|recycled}</td><td>{@link PoolStats#replacements()}</td></tr>
 * <tr><td>{@code multiproc.chunk.latency}</td><td>function timer</td><td></td><td>the sampled
 *     chunks' count and total time ({@link PoolStats.Latency})</td></tr>
 * <tr><td>{@code multiproc.chunk.latency.percentile}</td><td>gauge, seconds</td>
 *     <td>{@code phi=0.5|0.99}</td><td>{@link PoolStats.Latency#p50()}, {@link PoolStats.Latency#p99()}
 *     over the last minute</td></tr>
 * <tr><td>{@code multiproc.chunk.latency.max}</td><td>gauge, seconds</td><td></td>
 *     <td>{@link PoolStats.Latency#max()} over the last minute</td></tr>
 * </table>
 *
 * <p>A registry reads every meter at each publication; they share one {@code pool.stats()}
 * snapshot, taken at most once per {@value #SNAPSHOT_MILLIS} ms, so a publication costs one
 * snapshot, not fourteen.
 *
 * <p><b>Lifecycle.</b> The meters hold this binder (and through it the pool) strongly, so they
 * keep reporting even if the caller drops its reference; {@link #close()} removes them from every
 * registry this binder was bound to. After {@code pool.close()} they report the last figures
 * (item counters stay, workers drop to zero).
 *
 * <p><b>Thread safety.</b> Thread-safe: registries may read the meters from any thread; the
 * shared snapshot is published through a volatile field.
 *
 * @since 0.1
 */
public final class PoolMetrics implements MeterBinder, AutoCloseable {

  /** How long one {@code pool.stats()} snapshot serves the meters. */
  static final long SNAPSHOT_MILLIS = 100;

  private final Pool pool;
  private final Tags tags;
  private final LongSupplier clock;
  private final List<Registered> registered = new ArrayList<>(); // guarded by this
  private volatile Snapshot last;

  private record Snapshot(long atNanos, PoolStats stats) {}

  private record Registered(MeterRegistry registry, Meter meter) {}

  /**
   * Creates the binding of one pool.
   *
   * @param pool the pool
   * @param name the value of the {@code pool} tag, to tell pools apart
   */
  public PoolMetrics(Pool pool, String name) {
    this(pool, name, Tags.empty());
  }

  /**
   * Creates the binding of one pool, with extra tags on every meter.
   *
   * @param pool the pool
   * @param name the value of the {@code pool} tag
   * @param tags more tags, such as {@code Tags.of("app", "ingest")}
   */
  public PoolMetrics(Pool pool, String name, Iterable<Tag> tags) {
    this(pool, name, tags, System::nanoTime);
  }

  PoolMetrics(Pool pool, String name, Iterable<Tag> tags, LongSupplier clock) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.tags = Tags.of(tags).and("pool", Objects.requireNonNull(name, "name"));
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    List<Meter> meters = new ArrayList<>();
    meters.add(gauge(registry, "multiproc.workers", "state", "busy", s -> s.busyWorkers(),
        "Workers running or holding work"));
    meters.add(gauge(registry, "multiproc.workers", "state", "idle", s -> s.idleWorkers(),
        "Workers ready and holding nothing"));
    meters.add(gauge(registry, "multiproc.workers", "state", "starting", s -> s.startingWorkers(),
        "Workers launched and not ready yet"));
    meters.add(gauge(registry, "multiproc.chunks", "state", "queued", s -> s.chunksQueued(),
        "Chunks waiting for a worker"));
    meters.add(gauge(registry, "multiproc.chunks", "state", "in_flight", s -> s.chunksInFlight(),
        "Chunks handed to a worker and not yet answered"));
    meters.add(counter(registry, "multiproc.items", "outcome", "success", s -> s.itemsSucceeded(),
        "Items that finished with a value"));
    meters.add(counter(registry, "multiproc.items", "outcome", "failure", s -> s.itemsFailed(),
        "Items that failed: the task threw, timed out, or its worker died"));
    meters.add(counter(registry, "multiproc.workers.replaced", "reason", "died", s -> s.replacements().died(),
        "Workers replaced after they crashed or were killed"));
    meters.add(counter(registry, "multiproc.workers.replaced", "reason", "timed_out",
        s -> s.replacements().timedOut(), "Workers replaced after a task overran its timeout"));
    meters.add(counter(registry, "multiproc.workers.replaced", "reason", "recycled",
        s -> s.replacements().recycled(), "Workers replaced at their task limit"));
    meters.add(counter(registry, "multiproc.workers.replaced", "reason", "over_memory",
        s -> s.replacements().overMemory(), "Workers replaced after their memory grew too large"));
    meters.add(FunctionTimer.builder("multiproc.chunk.latency", this,
            m -> m.stats().chunkLatency().count(),
            m -> m.stats().chunkLatency().total().toNanos(), TimeUnit.NANOSECONDS)
        .tags(tags).description("Sampled chunks, from dispatch to result").register(registry));
    meters.add(latency(registry, "multiproc.chunk.latency.percentile", Tags.of("phi", "0.5"),
        l -> l.p50(), "Median chunk latency over the last minute"));
    meters.add(latency(registry, "multiproc.chunk.latency.percentile", Tags.of("phi", "0.99"),
        l -> l.p99(), "99th percentile of chunk latency over the last minute"));
    meters.add(latency(registry, "multiproc.chunk.latency.max", Tags.empty(), l -> l.max(),
        "Largest chunk latency over the last minute"));
    synchronized (this) {
      for (Meter m : meters) {
        registered.add(new Registered(registry, m));
      }
    }
  }

  /** Removes every meter this binder registered, from every registry it was bound to. Idempotent. */
  @Override
  public void close() {
    List<Registered> all;
    synchronized (this) {
      all = new ArrayList<>(registered);
      registered.clear();
    }
    for (Registered r : all) {
      r.registry().remove(r.meter());
    }
  }

  /** The pool's stats, shared by every meter read within {@link #SNAPSHOT_MILLIS}. */
  PoolStats stats() {
    long now = clock.getAsLong();
    Snapshot s = last;
    if (s == null || now - s.atNanos() >= TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MILLIS)) {
      s = new Snapshot(now, pool.stats());
      last = s;
    }
    return s.stats();
  }

  private Meter gauge(MeterRegistry registry, String name, String tag, String value,
      ToDoubleFunction<PoolStats> f, String description) {
    return Gauge.builder(name, this, m -> f.applyAsDouble(m.stats())).tags(tags).tag(tag, value)
        .description(description).strongReference(true).register(registry);
  }

  private Meter counter(MeterRegistry registry, String name, String tag, String value,
      ToDoubleFunction<PoolStats> f, String description) {
    // a function counter holds its object weakly; the gauges above hold this binder strongly
    return FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.stats())).tags(tags).tag(tag, value)
        .description(description).register(registry);
  }

  private Meter latency(MeterRegistry registry, String name, Tags extra,
      java.util.function.Function<PoolStats.Latency, Duration> f, String description) {
    return Gauge.builder(name, this, m -> f.apply(m.stats().chunkLatency()).toNanos() / 1e9).tags(tags).tags(extra)
        .baseUnit("seconds").description(description).strongReference(true).register(registry);
  }
}
