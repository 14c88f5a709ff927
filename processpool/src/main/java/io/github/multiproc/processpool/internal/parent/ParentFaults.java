package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.processpool.internal.protocol.Faults;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.PayloadReader;
import io.github.multiproc.processpool.internal.protocol.ToWorker;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's fault injection ({@link FaultInjector}), as decorators around what the pool sends
 * to a worker ({@link #around}) and what it decodes from one ({@link #beforeDecode}). A pool
 * without an injector uses {@link #NONE}, which hands everything through unchanged, so the
 * production path has no fault branches.
 *
 * <p>Thread safety: thread-safe if the injector is.
 */
class ParentFaults {

  /** No faults: the channel itself, the answers as they came. */
  static final ParentFaults NONE = new ParentFaults();

  private ParentFaults() {}

  /** @return the channel to the worker, possibly with faults */
  ToWorker around(WorkerProcess worker) {
    return worker;
  }

  /** @return the answers to decode, possibly corrupted; the worker may be killed or frozen first */
  WorkerMessage.Results beforeDecode(WorkerProcess worker, Batch batch, WorkerMessage.Results results) {
    return results;
  }

  /**
   * @param injector the injector
   * @param giveNothingMore called before a worker is killed or frozen on purpose
   * @return faults that follow the injector
   */
  static ParentFaults of(FaultInjector injector, Consumer<WorkerProcess> giveNothingMore) {
    return new Injecting(injector, giveNothingMore);
  }

  private static final class Injecting extends ParentFaults {
    /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
    private static final class Log {
      static final Logger LOG = LoggerFactory.getLogger(ParentFaults.class);
    }
    private final FaultInjector injector;
    private final Consumer<WorkerProcess> giveNothingMore;

    Injecting(FaultInjector injector, Consumer<WorkerProcess> giveNothingMore) {
      this.injector = injector;
      this.giveNothingMore = giveNothingMore;
    }

    @Override
    ToWorker around(WorkerProcess worker) {
      return message -> {
        if (message instanceof ParentMessage.Tasks t) {
          FaultInjector.Action a = ask(FaultInjector.Stage.TASK_ENCODE, t.firstIndex(), count(t), t.batchId());
          strike(worker, a); // the worker dies or freezes as the batch is handed to it
          if (a == FaultInjector.Action.CORRUPT) {
            worker.send(new ParentMessage.Tasks(t.batchId(), t.callId(), t.firstIndex(),
                Faults.corruptPayload(t.payload(), ParentMessage.Tasks.ITEMS_OFFSET)));
            return;
          }
        }
        worker.send(message);
      };
    }

    @Override
    WorkerMessage.Results beforeDecode(WorkerProcess worker, Batch batch, WorkerMessage.Results results) {
      FaultInjector.Action a = ask(FaultInjector.Stage.RESULT_DECODE, batch.indexOf(0), batch.count, batch.id);
      strike(worker, a);
      return a == FaultInjector.Action.CORRUPT
          ? new WorkerMessage.Results(results.batchId(), results.count(), Faults.corruptPayload(results.payload(), 8))
          : results;
    }

    private void strike(WorkerProcess worker, FaultInjector.Action a) {
      if (a == FaultInjector.Action.KILL) {
        giveNothingMore.accept(worker);
        worker.kill();
      } else if (a == FaultInjector.Action.HANG) {
        giveNothingMore.accept(worker);
        worker.freeze();
      }
    }

    private FaultInjector.Action ask(FaultInjector.Stage stage, long firstIndex, int count, long batchId) {
      for (int i = 0; i < count; i++) {
        FaultInjector.Action action = injector.at(stage, io.github.multiproc.spi.Chunk.indexOf(firstIndex, i));
        if (action != FaultInjector.Action.NONE) {
          Log.LOG.warn("fault injected: {} at {} for batch {} (inputs from #{})", action, stage, batchId, firstIndex);
          return action;
        }
      }
      return FaultInjector.Action.NONE;
    }

    private static int count(ParentMessage.Tasks t) {
      try {
        return PayloadReader.countAt(t.payload(), ParentMessage.Tasks.ITEMS_OFFSET);
      } catch (IOException e) {
        return 1;
      }
    }
  }
}
