package io.github.multiproc.processpool.internal;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.spi.PoolProvider;

/**
 * Selects {@link ProcessPool} for {@code multiproc.backend=process}. Extra key:
 * {@value #JVM_ARGS} (worker JVM arguments separated by spaces).
 */
public final class ProcessPoolProvider implements PoolProvider {

  /** Worker JVM arguments, separated by whitespace. */
  public static final String JVM_ARGS = "multiproc.process.jvmArgs";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public ProcessPoolProvider() {}

  @Override
  public String backend() {
    return "process";
  }

  @Override
  public Pool create(PoolConfig config) {
    ProcessPool.Builder b = ProcessPool.builder().workers(config.workersOrDefault());
    String args = config.properties().get(JVM_ARGS);
    if (args != null && !args.isBlank()) {
      b.jvmArgs(args.trim().split("\\s+"));
    }
    return b.build();
  }
}
