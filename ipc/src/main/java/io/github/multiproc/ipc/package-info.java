/**
 * Channels between JVMs: the length-prefixed frame protocol, object codecs, {@code Pipe},
 * {@code SharedQueue}, {@code SharedMemory}, cross-process locks and atomics.
 *
 * @since 0.1
 */
package io.github.multiproc.ipc;
