package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.shm.SegmentSweeper;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import io.github.multiproc.spi.ChunkResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a dead worker leaves to clean up: the failures of the batch it was running, and the
 * shared-memory segments it created. Stateless.
 */
final class DeadWorkers {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(DeadWorkers.class);
  }

  private DeadWorkers() {}

  /**
   * @param lost the batch the worker was running
   * @param death how it died
   * @return one failure per item: {@link ProtocolException} if its bytes broke the protocol,
   *     else {@link WorkerDiedException} with its exit code and last stderr lines
   */
  static ChunkResult<Object> failuresOf(Batch lost, WorkerDeath death) {
    ChunkResult<Object> failures = new ChunkResult<>(lost.count);
    for (int i = 0; i < lost.count; i++) {
      long index = lost.indexOf(i);
      WorkerDeath.ProtocolBreak b = death.protocolBreak();
      failures.fail(i, b != null ? new ProtocolException(index, death.pid(), b.problem(), b.dump(), b.cause())
          : new WorkerDiedException(index, death.pid(), death.exitCode(), death.diagnostics()));
    }
    return failures;
  }

  /**
   * Unlinks the shared-memory segments the dead worker created ({@link SegmentSweeper}), before
   * its batches fail, so a caller that sees the failure sees the segments gone. The sweeper only
   * removes segments of a process that has exited; a worker reported dead before its process
   * ended is swept when it exits.
   */
  static void sweepSharedMemory(WorkerProcess worker) {
    if (worker.exitCode().isPresent()) {
      sweepOwnedBy(worker.pid());
    } else {
      worker.handle().onExit().thenRun(() -> sweepOwnedBy(worker.pid()));
    }
  }

  /**
   * Unlinks the out-of-band values ({@code multiproc-pp-*}) and unfinished or claimed segments of
   * dead processes: what a pool whose parent was killed mid-transfer left (its workers were
   * killed with it, so nobody else was left to clean up).
   */
  static void sweepPoolSegments() {
    try {
      SegmentSweeper.sweepNamed(SharedValues.NAME_PREFIX);
    } catch (RuntimeException e) { // an unreadable /dev/shm must not stop a pool
      Log.LOG.warn("could not sweep the shared memory segments of dead pools: {}", e.toString());
    }
  }

  static void sweepOwnedBy(long pid) {
    try {
      SegmentSweeper.sweepOwnedBy(pid);
    } catch (RuntimeException e) { // an unreadable /dev/shm must not stop the death handling
      Log.LOG.warn("could not sweep the shared memory segments of dead process {}: {}", pid, e.toString());
    }
  }
}
