/**
 * Guava's {@code ListeningExecutorService} and {@code ListenableFuture} over multiproc pools;
 * start at {@link io.github.multiproc.guava.MorePools}.
 */
package io.github.multiproc.guava;
