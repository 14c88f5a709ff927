package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner's side of the completion callback ({@link ChunkDispatcher#dispatch(Chunk, java.util.function.BiConsumer)}). */
@Timeout(30)
class ExecutorChunkRunnerTest {

  /** Holds what it is given and runs nothing: the test decides. */
  private static final class HoldingExecutor extends AbstractExecutorService {
    final List<Runnable> held = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
      held.add(command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return true;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  private static final Task<Integer, Integer> DOUBLE = x -> 2 * x;

  @Test
  void shouldTellTheCallbackOnceWhenAChunkIsCancelledTwice() {
    ExecutorChunkRunner runner = new ExecutorChunkRunner(new HoldingExecutor(), null, null, false);
    ChunkDispatcher<Integer, Integer> call = runner.open(DOUBLE, MapOptions.defaults());
    AtomicInteger told = new AtomicInteger();
    CompletableFuture<ChunkResult<Integer>> f = call.dispatch(new Chunk<>(0, List.of(1)), (r, e) -> {
      assertThat(e).isInstanceOf(CancellationException.class);
      told.incrementAndGet();
    });
    assertThat(f.cancel(true)).isTrue();
    assertThat(f.cancel(true)).as("cancel() answers true again, as CompletableFuture does").isTrue();
    assertThat(f.isCancelled()).isTrue();
    assertThat(told).hasValue(1);
  }

  @Test
  void shouldCompleteTheChunkWhenTheCallbackThrows() throws Exception {
    HoldingExecutor executor = new HoldingExecutor();
    ExecutorChunkRunner runner = new ExecutorChunkRunner(executor, null, null, false);
    ChunkDispatcher<Integer, Integer> call = runner.open(DOUBLE, MapOptions.defaults());
    CompletableFuture<ChunkResult<Integer>> f = call.dispatch(new Chunk<>(0, List.of(21)), (r, e) -> {
      throw new AssertionError("a deliberately broken callback: this ERROR log is expected");
    });
    executor.held.getFirst().run();
    assertThat(f.get().value(0)).isEqualTo(42);
  }

  @Test
  void shouldInterruptTheRunningChunkEvenIfTheCallbackThrowsOnCancel() {
    ExecutorChunkRunner runner = new ExecutorChunkRunner(Executors.newSingleThreadExecutor(), null, null, false);
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Task<Integer, Integer> sleeper = x -> {
      running.countDown();
      try {
        new CountDownLatch(1).await(); // until interrupted
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      return x;
    };
    try {
      ChunkDispatcher<Integer, Integer> call = runner.open(sleeper, MapOptions.defaults());
      CompletableFuture<ChunkResult<Integer>> f = call.dispatch(new Chunk<>(0, List.of(1)), (r, e) -> {
        throw new AssertionError("a deliberately broken callback: this ERROR log is expected");
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> running.getCount() == 0);
      assertThat(f.cancel(true)).isTrue();
      await().atMost(Duration.ofSeconds(10)).untilTrue(interrupted);
    } finally {
      runner.close();
    }
  }
}
