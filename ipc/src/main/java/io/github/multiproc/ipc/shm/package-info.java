/**
 * Shared memory between processes on one machine: named segments ({@link
 * io.github.multiproc.ipc.shm.SharedMemory}) with atomic views ({@link
 * io.github.multiproc.ipc.shm.SharedLong}, {@link io.github.multiproc.ipc.shm.SharedLongArray}, ...),
 * a bounded multi-producer multi-consumer {@link io.github.multiproc.ipc.shm.SharedQueue}, and
 * {@link io.github.multiproc.ipc.shm.ProcessLock} / {@link io.github.multiproc.ipc.shm.ProcessSemaphore}
 * that the kernel releases when their holder dies.
 *
 * {@snippet :
 * try (SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8()).create();
 *     SharedMemory memory = SharedMemory.create(8); ProcessLock lock = ProcessLock.create()) {
 *   SharedLong done = memory.longAt(0);
 *   pool.map(x -> { queue.put("item " + x); done.getAndAdd(1); return x; }, inputs); // in workers
 *   // ... take from the queue, read done.get() ...
 *   queue.shutdown();   // end of stream for every consumer
 *   queue.unlink();     // the creator removes the names
 *   memory.unlink();
 *   lock.unlink();
 * }                     // close(): each handle released in this process
 * }
 *
 * <p>Every object is named, lives in a file {@code multiproc-<name>} under {@code /dev/shm} (the
 * temporary directory elsewhere), serializes as a handle that re-attaches in the receiving JVM,
 * and belongs to the process that created it: {@link io.github.multiproc.ipc.shm.SegmentSweeper}
 * removes the files of dead owners. {@code close()} and {@code unlink()} follow the rule stated
 * once in {@link io.github.multiproc.ipc}.
 *
 * <p><b>Native access.</b> On Linux, waiting uses {@code futex(2)} and the locks use
 * {@code fcntl(F_OFD_SETLK)}, both called through the FFM API. Run with
 * {@code --enable-native-access=ALL-UNNAMED} (class path) or
 * {@code --enable-native-access=io.github.multiproc.ipc} (module path); without it the JDK
 * prints a warning on first use.
 *
 * @since 0.1
 */
package io.github.multiproc.ipc.shm;
