package io.github.multiproc.cluster;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.spi.PoolProvider;
import java.util.List;

/**
 * Selects {@link ClusterPool} for {@code multiproc.backend=cluster}, configured by the
 * {@code multiproc.cluster.*} keys of {@link ClusterProperties}. Found by
 * {@link java.util.ServiceLoader}; thread-safe and stateless.
 *
 * @since 0.1
 */
public final class ClusterPoolProvider implements PoolProvider {

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public ClusterPoolProvider() {}

  @Override
  public String backend() {
    return "cluster";
  }

  @Override
  public Pool create(PoolConfig config) {
    return ClusterProperties.toBuilder(config).build();
  }

  @Override
  public List<ConfigKey> configKeys() {
    return ClusterProperties.KEYS;
  }
}
