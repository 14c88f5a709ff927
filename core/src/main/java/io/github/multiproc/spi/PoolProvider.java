package io.github.multiproc.spi;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import java.util.List;

/**
 * A backend that {@link io.github.multiproc.Pools#fromConfig(java.util.Map)} can select by name.
 * Implementations are found with {@link java.util.ServiceLoader}: declare them in
 * {@code module-info.java} ({@code provides io.github.multiproc.spi.PoolProvider with ...}) and
 * in {@code META-INF/services/io.github.multiproc.spi.PoolProvider} for class-path users.
 *
 * {@snippet :
 * public final class ProcessPoolProvider implements PoolProvider {
 *   public String backend() { return "process"; }
 *   public Pool create(PoolConfig config) { return ProcessPool.create(config.workers()); }
 * }
 * }
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 *
 * @since 0.1
 */
public interface PoolProvider {

  /**
   * Returns the value of {@code multiproc.backend} that selects this provider.
   *
   * @return a short lower-case name such as {@code "thread"} or {@code "process"}
   */
  String backend();

  /**
   * Creates a pool from the parsed configuration.
   *
   * @param config the configuration; {@link PoolConfig#properties()} holds backend-specific keys
   * @return a new pool, owned by the caller
   */
  Pool create(PoolConfig config);

  /**
   * Returns the configuration keys this backend reads from {@link PoolConfig#properties()}, so
   * that {@link io.github.multiproc.Pools#fromConfig()} can map their environment variables,
   * accept their deprecated names and refuse unknown keys. Each must be listed in
   * {@code docs/configuration.md}.
   *
   * @return the keys, none by default
   */
  default List<ConfigKey> configKeys() {
    return List.of();
  }
}
