package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what a worker says to the {@link Scheduler}: RESULTS free the batch's slot and go to
 * the {@link ResultDecoder} (after the worker's memory is checked against
 * {@code maxWorkerMemory}, and the out-of-band values are claimed); DROPPED frees a cancelled
 * batch's slot; STOPPING retires the worker. A worker that answers a batch it does not hold, more
 * items than the batch has, or names shared memory it may not is killed for breaking the protocol.
 *
 * <p>Thread safety: confined to the pool's event loop.
 */
final class WorkerMessageHandler {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerMessageHandler.class);
  }

  private final PoolSettings settings;
  private final Scheduler<WorkerProcess> scheduler;
  private final Fleet fleet;
  private final BatchEncoder encoder;
  private final ResultDecoder decoder;
  private final ParentFaults faults;
  private final FailedItemEvents failures;

  WorkerMessageHandler(PoolSettings settings, Scheduler<WorkerProcess> scheduler, Fleet fleet, BatchEncoder encoder,
      ResultDecoder decoder, ParentFaults faults, FailedItemEvents failures) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.fleet = fleet;
    this.encoder = encoder;
    this.decoder = decoder;
    this.faults = faults;
    this.failures = failures;
  }

  /**
   * Applies one message, in the order the worker sent it.
   *
   * @param worker the worker
   * @param message what it said (never a PONG)
   */
  void apply(WorkerProcess worker, WorkerMessage message) {
    // instanceof, not a pattern switch: no invokedynamic bootstrap on a cold parent's first answer
    if (message instanceof WorkerMessage.Results r) {
      answered(worker, r);
    } else if (message instanceof WorkerMessage.Dropped d) {
      scheduler.dropped(worker, d.batchId());
    } else if (message instanceof WorkerMessage.Stopping s) {
      Log.LOG.debug("worker {} is stopping: {}", worker.pid(), s.reason());
      if (s.reason().startsWith(Protocol.STOPPING_OUT_OF_MEMORY)) {
        fleet.leavesOverMemory(worker, s.reason());
      } else {
        fleet.leavesAfterTimeout(worker); // the other reason a worker stops itself
      }
      scheduler.retiring(worker);
    }
  }

  private void answered(WorkerProcess worker, WorkerMessage.Results r) {
    if (settings.maxWorkerMemory() > 0) {
      checkMemory(worker); // before the answer frees its slot: an over-limit worker gets nothing more
    }
    Batch b = scheduler.answered(worker, r.batchId());
    if (b == null) {
      if (!worker.isDead()) {
        worker.kill("it answered batch " + r.batchId() + ", which it did not hold (a protocol error)");
      }
      return;
    }
    if (r.count() > b.count) {
      String problem = "it answered " + r.count() + " item(s) for the " + b.count + " of " + b;
      if (b.settle()) {
        String dump = ProtocolException.dump(r.payload(), 0, r.payload().length);
        b.chunk.fail(b.from, b.count, i -> new ProtocolException(b.indexOf(i), worker.pid(), problem, dump, null));
      }
      worker.kill(problem);
      return;
    }
    List<SharedValues.Entry> outOfBand;
    try { // claimed now, before the worker's exit can sweep them (its death is applied after this)
      outOfBand = SharedValueReader.claim(ResultsCodec.outOfBand(r.payload(), b.count, worker.pid()));
    } catch (IOException e) {
      String problem = "its RESULTS for " + b + " name shared memory it may not: " + e.getMessage();
      if (b.settle()) {
        String dump = ProtocolException.dump(r.payload(), 0, r.payload().length);
        b.chunk.fail(b.from, b.count, i -> new ProtocolException(b.indexOf(i), worker.pid(), problem, dump, e));
      }
      worker.kill(problem);
      return;
    }
    if (b.isCancelled()) {
      SharedValueReader.deleteClaimed(outOfBand);
      return; // nobody wants the answers
    }
    decoder.decode(b, faults.beforeDecode(worker, b, r), worker, failures, outOfBand);
    if (r.count() < b.count) { // the worker stopped after a timed-out item; the rest never started
      for (Batch rest : encoder.encode(b.chunk, b.from + r.count(), b.from + b.count)) {
        scheduler.submit(rest);
      }
    }
  }

  /** Retires a worker whose resident memory passed {@code maxWorkerMemory}, after the chunks it holds. */
  private void checkMemory(WorkerProcess worker) {
    long rss = WorkerMemory.residentBytes(worker.pid());
    if (rss > settings.maxWorkerMemory() && fleet.leavesOverMemory(worker, "resident memory "
        + WorkerMemory.mib(rss) + " passed maxWorkerMemory " + WorkerMemory.mib(settings.maxWorkerMemory()))) {
      scheduler.retiring(worker);
    }
  }
}
