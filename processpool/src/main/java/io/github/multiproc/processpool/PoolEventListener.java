package io.github.multiproc.processpool;

/**
 * The process pool's former name for {@link io.github.multiproc.PoolEventListener}, which every
 * backend now takes; the events are {@link io.github.multiproc.PoolEvent}. A listener declared with
 * this type still works wherever the core type is expected.
 *
 * {@snippet :
 * io.github.multiproc.PoolEventListener listener = event -> LOG.info("{}", event); // write this instead
 * }
 *
 * <p>Threading: see {@link io.github.multiproc.PoolEventListener}.
 *
 * @deprecated use {@link io.github.multiproc.PoolEventListener}; this alias goes in a later version.
 * @since 0.1
 */
@Deprecated(since = "0.1")
@FunctionalInterface
public interface PoolEventListener extends io.github.multiproc.PoolEventListener {}
