/**
 * Channels between JVMs: the length-prefixed frame protocol, object codecs, {@code Pipe},
 * {@code SharedQueue}, {@code SharedMemory}, cross-process locks and atomics.
 *
 * <h2>Handles: what {@code close()} and {@code unlink()} mean</h2>
 *
 * Every channel object in this library is a <em>handle</em>: this process's view of something
 * that other processes may hold handles to as well (a handle that travels to another JVM, inside
 * a task or by name, becomes a new handle there). One rule holds for all of them:
 * <ul>
 *   <li><b>{@code close()} releases this handle only</b>: this process's mapping, descriptor or
 *       pipe end, at once (never left to the garbage collector). Other handles, in this process or
 *       others, keep working. It is idempotent; using the handle afterwards throws. A pipe end's
 *       peer sees end of stream, because the end <em>is</em> the handle
 *       ({@link io.github.multiproc.ipc.Connection#close()}); a lock's permits held through the
 *       handle are released, as the kernel does when a process dies.
 *   <li><b>{@code unlink()} removes the name</b> of a named object ({@code SharedMemory},
 *       {@code SharedQueue}, {@code ProcessLock}, {@code ProcessSemaphore}): no new handle can
 *       attach, while handles already attached keep working; the memory goes when the last one
 *       is closed. The <em>owner</em>, the process that created the object, unlinks it once when
 *       it is done; if the owner dies first, {@link io.github.multiproc.ipc.shm.SegmentSweeper}
 *       (run by the process pool for its workers) unlinks what it created.
 *   <li><b>Ending a stream for every process is a call of its own</b>:
 *       {@link io.github.multiproc.ipc.shm.SharedQueue#shutdown()} (producers fail, consumers
 *       drain, then see end of stream). No {@code close()} does that.
 * </ul>
 *
 * {@snippet :
 * try (SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8()).create()) {
 *   pool.submit(() -> { queue.put("hi"); return null; });   // the worker's handle: closed there
 *   String hi = queue.take();
 *   queue.shutdown();                                      // end of stream for everybody
 *   queue.unlink();                                        // the owner removes the name
 * }                                                        // close(): this handle released
 * }
 *
 * @since 0.1
 */
package io.github.multiproc.ipc;
