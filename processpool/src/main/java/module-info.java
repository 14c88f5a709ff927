/**
 * The process backend: {@link io.github.multiproc.processpool.ProcessPool} (worker JVMs behind
 * the {@link io.github.multiproc.Pool} API) and {@link io.github.multiproc.processpool.JvmProcess}
 * (one job in a fresh JVM).
 */
module io.github.multiproc.processpool {
  requires transitive io.github.multiproc.core;
  requires transitive io.github.multiproc.ipc;
  requires org.slf4j;
  requires java.management; // a timed-out item's CPU time (ItemTimer)
  requires static java.compiler; // only for a program launched from its source file (SourceProgram)

  exports io.github.multiproc.processpool;
  exports io.github.multiproc.processpool.manager;

  provides io.github.multiproc.spi.PoolProvider with
      io.github.multiproc.processpool.internal.ProcessPoolProvider;
}
