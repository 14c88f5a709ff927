package io.github.multiproc.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ChunkFuture} keeps {@link ChunkDispatcher}'s order rule for the completion callback. */
@Timeout(10)
class ChunkFutureTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  /** A future whose callback and stop() write to {@link #events}; the callback notes whether the future was done. */
  private ChunkFuture<Integer> future() {
    AtomicReference<ChunkFuture<Integer>> self = new AtomicReference<>();
    self.set(new ChunkFuture<>((result, failure) -> events.add("told "
        + (failure != null ? failure.getClass().getSimpleName() : result.value(0))
        + (self.get().isDone() ? " after done" : " before done"))) {
      @Override
      protected void stop() {
        events.add("stopped");
      }
    });
    return self.get();
  }

  private static ChunkResult<Integer> resultOf(int value) {
    return new ChunkResult<Integer>(1).succeed(0, value);
  }

  @Test
  void shouldTellTheCallbackOnceForTheOutcomeThatWon() {
    ChunkFuture<Integer> f = future();
    assertThat(f.complete(resultOf(7))).isTrue();
    assertThat(f.complete(resultOf(8))).isFalse();
    assertThat(f.completeExceptionally(new IllegalStateException("late"))).isFalse();
    assertThat(f.cancel(true)).isFalse();
    assertThat(events).containsExactly("told 7 after done");
  }

  @Test
  void shouldTellTheFailureAsGivenAfterTheFutureIsDone() {
    ChunkFuture<Integer> f = future();
    assertThat(f.completeExceptionally(new IllegalStateException("pool closed"))).isTrue();
    assertThat(events).containsExactly("told IllegalStateException after done");
  }

  @Test
  void shouldStopTheWorkBeforeTellingACancellationAndOnlyOnce() {
    ChunkFuture<Integer> f = future();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.cancel(true)).as("true again, as CompletableFuture answers").isTrue();
    assertThat(f.complete(resultOf(1))).isFalse();
    assertThat(f.isCancelled()).isTrue();
    assertThat(events).containsExactly("stopped", "told CancellationException after done");
  }

  @Test
  void shouldStayCancelledAndTellTheCallbackWhenStoppingTheWorkFails() {
    List<String> told = new CopyOnWriteArrayList<>();
    ChunkFuture<Integer> f = new ChunkFuture<>((r, e) -> told.add(e.getClass().getSimpleName())) {
      @Override
      protected void stop() {
        throw new IllegalStateException("a deliberately failing stop: this WARN log is expected (worker gone)");
      }
    };
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(told).containsExactly("CancellationException");
  }

  @Test
  void shouldKeepTheOutcomeWhenTheCallbackThrows() throws Exception {
    ChunkFuture<Integer> f = new ChunkFuture<>((r, e) -> {
      throw new AssertionError("a deliberately broken callback: this ERROR log is expected");
    });
    assertThat(f.complete(resultOf(3))).isTrue();
    assertThat(f.get().value(0)).isEqualTo(3);
  }

  @Test
  void shouldGiveDependentStagesNoCallback() {
    ChunkFuture<Integer> f = future();
    var stage = f.thenApply(r -> r.value(0));
    assertThat(stage).isNotInstanceOf(ChunkFuture.class);
    stage.cancel(true);
    assertThat(events).as("cancelling a dependent stage does not cancel the run").isEmpty();
    assertThat(f.isDone()).isFalse();
  }
}
