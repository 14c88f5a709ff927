package io.github.multiproc.cluster;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import io.github.multiproc.spi.EventDelivery;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A call's dispatcher that also tells the pool's listener of each failed item, with the pid of
 * the member named by the failure (a lost member), else -1. Only pools with a listener use it and
 * pay for the extra callback object per chunk; cluster chunks cross the network anyway.
 *
 * <p>Thread safety: as the dispatcher it wraps; events are emitted on the thread that completes
 * the chunk, before the chunk's own callback.
 *
 * @param <T> the inputs
 * @param <R> the results
 */
final class FailureReportingDispatcher<T, R> implements ChunkDispatcher<T, R> {

  private final ChunkDispatcher<T, R> dispatcher;
  private final EventDelivery events;

  /**
   * @param dispatcher the call's dispatcher
   * @param events the pool's events, enabled
   */
  FailureReportingDispatcher(ChunkDispatcher<T, R> dispatcher, EventDelivery events) {
    this.dispatcher = dispatcher;
    this.events = events;
  }

  @Override
  public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
    return dispatcher.dispatch(chunk, (result, error) -> {
      if (result != null) {
        reportFailures(chunk, result);
      }
      whenDone.accept(result, error);
    });
  }

  @Override
  public void close() {
    dispatcher.close();
  }

  private void reportFailures(Chunk<?> chunk, ChunkResult<?> result) {
    if (result.firstFailure() < 0) {
      return;
    }
    for (int i = result.firstFailure(); i < result.size(); i++) {
      Throwable t = result.failure(i);
      if (t != null) {
        String member = t instanceof MemberLostException lost ? lost.member() : null;
        events.emit(new PoolEvent.TaskFailed(MemberEvents.pidIn(member), chunk.indexOf(i), t));
      }
    }
  }
}
