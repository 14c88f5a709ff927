/**
 * The service-provider interface for pool backends.
 *
 * <p>A backend implements {@link io.github.multiproc.spi.PoolProvider} (found through
 * {@link java.util.ServiceLoader}, so {@link io.github.multiproc.Pools#fromConfig()} can select
 * it by name) and usually extends {@link io.github.multiproc.spi.AbstractPool}, which implements
 * the whole {@link io.github.multiproc.Pool} contract — ordering, bounded in-flight windows,
 * chunking, fail-fast, interrupts, progress — on top of one primitive: run a
 * {@link io.github.multiproc.spi.Chunk} of inputs and report a
 * {@link io.github.multiproc.spi.ChunkResult}. Every backend therefore has the same semantics by
 * construction, and the conformance suite checks it.
 *
 * @since 0.1
 */
package io.github.multiproc.spi;
