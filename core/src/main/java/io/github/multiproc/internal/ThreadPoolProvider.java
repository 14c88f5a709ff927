package io.github.multiproc.internal;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.spi.PoolProvider;

/** Selects {@link ThreadPool} for {@code multiproc.backend=thread}. */
public final class ThreadPoolProvider implements PoolProvider {

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public ThreadPoolProvider() {}

  @Override
  public String backend() {
    return "thread";
  }

  @Override
  public Pool create(PoolConfig config) {
    return ThreadPool.create(config.workersOrDefault());
  }
}
