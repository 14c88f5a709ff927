package io.github.multiproc.processpool.internal;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.ProcessPoolProperties;
import io.github.multiproc.spi.PoolProvider;
import java.util.List;

/**
 * Selects {@link ProcessPool} for {@code multiproc.backend=process}, configured by the
 * {@code multiproc.process.*} keys of {@link ProcessPoolProperties}.
 */
public final class ProcessPoolProvider implements PoolProvider {

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public ProcessPoolProvider() {}

  @Override
  public String backend() {
    return "process";
  }

  @Override
  public Pool create(PoolConfig config) {
    return ProcessPoolProperties.toBuilder(config).build();
  }

  @Override
  public List<ConfigKey> configKeys() {
    return ProcessPoolProperties.KEYS;
  }
}
