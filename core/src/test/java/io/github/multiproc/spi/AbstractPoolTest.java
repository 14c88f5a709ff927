package io.github.multiproc.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's side of the SPI with a backend that answers inside {@code dispatch}, as the order rule allows. */
@Timeout(10)
class AbstractPoolTest {

  /** Runs each chunk inside dispatch, so the callback runs before dispatch returns. */
  private static final class InlinePool extends AbstractPool {
    final List<String> events = new CopyOnWriteArrayList<>();

    InlinePool() {
      super("InlinePool");
    }

    @Override
    public int workers() {
      return 1;
    }

    @Override
    protected <T, R> ChunkDispatcher<T, R> openCall(Task<? super T, ? extends R> task, MapOptions options) {
      return new ChunkDispatcher<>() {
        @Override
        public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
            BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
          ChunkFuture<R> run = new ChunkFuture<>(whenDone);
          ChunkResult<R> result = new ChunkResult<>(chunk.size());
          for (int i = 0; i < chunk.size(); i++) {
            try {
              result.succeed(i, task.apply(chunk.items().get(i)));
            } catch (Exception e) {
              result.fail(i, e);
            }
          }
          run.complete(result);
          events.add("dispatch returned");
          return run;
        }

        @Override
        public void close() {
          events.add("closed");
        }
      };
    }

    @Override
    protected void doClose() {}
  }

  @Test
  void shouldCloseASubmittedJobsCallOnceAndOnlyAfterItsDispatchReturned() throws Exception {
    try (InlinePool pool = new InlinePool()) {
      CompletableFuture<String> job = pool.submit(() -> "done");
      assertThat(job.get()).isEqualTo("done");
      assertThat(pool.events).containsExactly("dispatch returned", "closed");
    }
  }

  @Test
  void shouldMapWithABackendThatAnswersInsideDispatch() {
    try (InlinePool pool = new InlinePool()) {
      List<Integer> out = pool.map(x -> x * 2, List.of(1, 2, 3, 4, 5), MapOptions.builder().chunkSize(2).build());
      assertThat(out).containsExactly(2, 4, 6, 8, 10);
      assertThat(pool.events).endsWith("closed").filteredOn("closed"::equals).hasSize(1);
    }
  }
}
