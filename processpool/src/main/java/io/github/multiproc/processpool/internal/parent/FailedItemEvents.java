package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.jfr.JfrEvents;
import io.github.multiproc.spi.ChunkResult;
import io.github.multiproc.spi.EventDelivery;

/**
 * Reports the items of a batch that failed: a JFR {@code TaskTimeout} event for each item that
 * timed out, and a {@link PoolEvent.TaskTimedOut} or {@link PoolEvent.TaskFailed} for each failed
 * item when a listener is set. Told by the {@link ResultDecoder} of every decoded batch, and by
 * {@link WorkerDeaths} of the batch a dead worker was running.
 *
 * <p>Thread safety: thread-safe (it holds no state of its own); called on decoder threads and on
 * the event loop.
 */
final class FailedItemEvents implements ResultDecoder.Decoded {

  private final EventDelivery events;

  FailedItemEvents(EventDelivery events) {
    this.events = events;
  }

  @Override
  public void decoded(Batch b, ChunkResult<?> part, long pid) {
    if (part.firstFailure() < 0) {
      return;
    }
    for (int i = 0; i < part.size(); i++) {
      Throwable t = part.failure(i);
      if (t instanceof TaskTimeoutException te) {
        JfrEvents.taskTimeout("ProcessPool", pid, b.indexOf(i), te.timeout());
      }
      if (t != null && events.enabled()) {
        long index = b.indexOf(i);
        events.emit(t instanceof TaskTimeoutException te ? new PoolEvent.TaskTimedOut(pid, index, te.timeout())
            : new PoolEvent.TaskFailed(pid, index, t));
      }
    }
  }
}
