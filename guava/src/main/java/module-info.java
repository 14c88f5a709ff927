/**
 * Guava for multiproc: {@link io.github.multiproc.guava.MorePools} turns any
 * {@link io.github.multiproc.Pool} into a Guava
 * {@link com.google.common.util.concurrent.ListeningExecutorService} and its results into
 * {@link com.google.common.util.concurrent.ListenableFuture}s.
 */
module io.github.multiproc.guava {
  requires transitive io.github.multiproc.core;
  requires transitive com.google.common;

  exports io.github.multiproc.guava;
}
