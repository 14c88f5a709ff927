package io.github.multiproc.internal;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.VirtualThreadPool;
import io.github.multiproc.spi.PoolProvider;

/** Selects {@link VirtualThreadPool} for {@code multiproc.backend=virtual}; workers bound its concurrency. */
public final class VirtualThreadPoolProvider implements PoolProvider {

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public VirtualThreadPoolProvider() {}

  @Override
  public String backend() {
    return "virtual";
  }

  @Override
  public Pool create(PoolConfig config) {
    VirtualThreadPool.Builder b = VirtualThreadPool.builder();
    config.workers().ifPresent(b::maxConcurrency);
    return b.build();
  }
}
