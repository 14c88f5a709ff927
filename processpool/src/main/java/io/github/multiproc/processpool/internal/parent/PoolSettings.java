package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.PoolEventListener;
import io.github.multiproc.processpool.WorkerOutput;
import java.time.Duration;
import java.util.Optional;

/**
 * The fixed part of a process pool's configuration, as the builder left it.
 *
 * @param workers how many workers to keep
 * @param command the worker command line
 * @param output where worker output goes
 * @param codec the object codec
 * @param encodedInitializer the encoded initializer, or null
 * @param startTimeout the handshake deadline
 * @param maxItemsPerWorker retire a worker after this many items, or 0 for never
 * @param aotCache whether workers use (and the pool builds) the JDK AOT cache
 * @param heartbeatInterval how often each worker is pinged
 * @param heartbeatTimeout how long a worker may send nothing before it is killed as wedged
 * @param taskTimeoutGrace how long a timed-out or cancelled item may take to stop before its worker is killed
 * @param idempotentRetries how many times a batch of an idempotent call is re-run after its worker died
 * @param resultDecodeTimeout how long one batch's results may take to decode in the parent
 * @param faultInjector the fault injector, or null
 * @param listener the event listener, or null
 * @param largePayloadThreshold the least bytes that make an input or a result travel through
 *     shared memory instead of the pipe
 * @param maxWorkerMemory retire a worker whose resident memory exceeds this many bytes after a
 *     batch, 0 for never
 */
public record PoolSettings(int workers, WorkerCommand command, WorkerOutput output, Codec codec,
    byte[] encodedInitializer, Duration startTimeout, long maxItemsPerWorker, boolean aotCache,
    Duration heartbeatInterval, Duration heartbeatTimeout, Duration taskTimeoutGrace, int idempotentRetries,
    Duration resultDecodeTimeout, FaultInjector faultInjector, PoolEventListener listener,
    long largePayloadThreshold, long maxWorkerMemory) {

  /** @return the encoded initializer, if any */
  Optional<byte[]> initializer() {
    return Optional.ofNullable(encodedInitializer);
  }

  /** @return the encoded fault injector, if any */
  Optional<byte[]> faults() {
    return faultInjector == null ? Optional.empty() : Optional.of(codec.encode(faultInjector));
  }
}
