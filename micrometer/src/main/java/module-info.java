/**
 * Optional Micrometer binding of multiproc: {@link io.github.multiproc.micrometer.PoolMetrics}
 * exposes any pool's {@link io.github.multiproc.PoolStats} to a {@code MeterRegistry}.
 */
module io.github.multiproc.micrometer {
  requires transitive io.github.multiproc.core;
  requires transitive micrometer.core;

  exports io.github.multiproc.micrometer;
}
