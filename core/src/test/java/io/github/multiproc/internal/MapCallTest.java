package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine with a backend the test drives by hand: it completes chunks in an order it chooses,
 * which a real pool only does by chance.
 */
@Timeout(30)
class MapCallTest {

  /** Completes nothing by itself: the test completes each dispatched chunk. */
  private static class ManualDispatcher implements ChunkDispatcher<Integer, Integer> {
    final List<Chunk<Integer>> chunks = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<ChunkResult<Integer>>> futures = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ChunkResult<Integer>> dispatch(Chunk<Integer> chunk,
        BiConsumer<? super ChunkResult<Integer>, ? super Throwable> whenDone) {
      ChunkFuture<Integer> f = new ChunkFuture<>(whenDone);
      chunks.add(chunk);
      futures.add(f);
      return f;
    }

    void complete(int i) {
      complete(i, false);
    }

    /** Completes chunk {@code i} as a process pool does a run of int results: unboxed. */
    void completeInts(int i) {
      complete(i, true);
    }

    private void complete(int i, boolean ints) {
      Chunk<Integer> chunk = chunks.get(i);
      ChunkResult<Integer> result = new ChunkResult<>(chunk.size());
      for (int k = 0; k < chunk.size(); k++) {
        int value = chunk.items().get(k) * 10;
        if (ints) {
          result.succeedInt(k, value);
        } else {
          result.succeed(k, value);
        }
      }
      futures.get(i).complete(result);
    }

    void fail(int i) {
      ChunkResult<Integer> result = new ChunkResult<>(chunks.get(i).size());
      result.fail(0, new IllegalStateException("boom in chunk " + i));
      futures.get(i).complete(result);
    }

    @Override
    public void close() {}
  }

  /** Eight items, but its first {@code size()} says two: the engine's result array starts too small. */
  private static final class UnderstatedList extends AbstractList<Integer> implements RandomAccess {
    private int sizeCalls;

    @Override
    public Integer get(int i) {
      return i;
    }

    @Override
    public int size() {
      return sizeCalls++ == 0 ? 2 : 8;
    }
  }

  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private final AtomicReference<Thread> caller = new AtomicReference<>();

  @AfterEach
  void stopRunner() {
    runner.shutdownNow();
  }

  /** Runs {@code collect()} on another thread, remembered as the caller. */
  private Future<List<Integer>> collectInBackground(MapCall<Integer, Integer> call) {
    return runner.submit(() -> {
      caller.set(Thread.currentThread());
      return call.collect();
    });
  }

  /** Whether the caller parked: it has taken everything handed to it so far. */
  private boolean callerParked() {
    Thread t = caller.get();
    return t != null && t.getState() == Thread.State.WAITING;
  }

  private static MapCall<Integer, Integer> mapOf(ChunkDispatcher<Integer, Integer> backend, List<Integer> inputs) {
    return new MapCall<>(backend, inputs, MapOptions.defaults(), MapCall.Mode.MAP, 1, 100, 1, new PoolMeter("test"));
  }

  /** Collects a map of one item per chunk in the background, once every chunk is dispatched. */
  private Future<List<Integer>> collectDispatched(ManualDispatcher backend, List<Integer> inputs) {
    Future<List<Integer>> results = collectInBackground(mapOf(backend, inputs));
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.chunks.size() == inputs.size());
    return results;
  }

  @Test
  void shouldWakeForTheAwaitedChunkWhenLaterOnesEndFirst() throws Exception {
    ManualDispatcher backend = new ManualDispatcher();
    Future<List<Integer>> results = collectDispatched(backend, List.of(1, 2, 3, 4));
    backend.complete(3);
    backend.complete(1);
    // every input is dispatched: the caller waits for chunk 0, in input order, and parks
    await().atMost(Duration.ofSeconds(10)).until(this::callerParked);
    backend.complete(2);
    backend.complete(0);
    assertThat(results.get()).containsExactly(10, 20, 30, 40);
  }

  @Test
  void shouldFailFastOnALaterChunkWhileItWaitsForAnEarlierOne() throws Exception {
    ManualDispatcher backend = new ManualDispatcher();
    MapCall<Integer, Integer> call = mapOf(backend, List.of(1, 2, 3));
    Future<List<Integer>> results = collectInBackground(call);
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.chunks.size() == 3);
    await().atMost(Duration.ofSeconds(10)).until(this::callerParked);
    backend.fail(2); // chunk 0 never ends: the failure must not wait for it
    Throwable failure = catchThrowable(results::get).getCause();
    assertThat(failure).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("boom in chunk 2");
    assertThat(((TaskFailedException) failure).index()).isEqualTo(2);
    assertThat(backend.futures.get(0)).as("the chunk still running is cancelled").isCancelled();
    assertThat(backend.futures.get(1)).isCancelled();
  }

  @Test
  void shouldReportTheFailureEvenIfCancellingTheOtherRunsThrows() throws Exception {
    List<Integer> cancelAttempts = new CopyOnWriteArrayList<>();
    ManualDispatcher backend = new ManualDispatcher() {
      @Override
      public CompletableFuture<ChunkResult<Integer>> dispatch(Chunk<Integer> chunk,
          BiConsumer<? super ChunkResult<Integer>, ? super Throwable> whenDone) {
        CompletableFuture<ChunkResult<Integer>> f = new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            cancelAttempts.add(chunk.items().getFirst());
            throw new IllegalStateException("a deliberately failing cancel: this WARN log is expected (worker gone)");
          }
        };
        f.whenComplete(whenDone);
        chunks.add(chunk);
        futures.add(f);
        return f;
      }
    };
    MapCall<Integer, Integer> call = mapOf(backend, List.of(1, 2, 3));
    Future<List<Integer>> results = collectInBackground(call);
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.chunks.size() == 3);
    backend.fail(1);
    Throwable failure = catchThrowable(results::get).getCause();
    assertThat(failure).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("boom in chunk 1");
    assertThat(cancelAttempts).as("both other runs, though the first cancel threw").containsExactlyInAnyOrder(1, 3);
  }

  /** Completes futures and calls their callbacks in two separate steps, as the SPI allows. */
  private static final class LateCallbackDispatcher implements ChunkDispatcher<Integer, Integer> {
    final List<CompletableFuture<ChunkResult<Integer>>> futures = new CopyOnWriteArrayList<>();
    final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final int factor;
    private final boolean ints;

    /** @param factor each result is the input times this @param ints whether results are recorded as ints */
    LateCallbackDispatcher(int factor, boolean ints) {
      this.factor = factor;
      this.ints = ints;
    }

    @Override
    public CompletableFuture<ChunkResult<Integer>> dispatch(Chunk<Integer> chunk,
        BiConsumer<? super ChunkResult<Integer>, ? super Throwable> whenDone) {
      ChunkResult<Integer> result = new ChunkResult<>(chunk.size());
      for (int k = 0; k < chunk.size(); k++) {
        int value = chunk.items().get(k) * factor;
        if (ints) {
          result.succeedInt(k, value);
        } else {
          result.succeed(k, value);
        }
      }
      CompletableFuture<ChunkResult<Integer>> f = new CompletableFuture<>();
      futures.add(f);
      callbacks.add(() -> whenDone.accept(result, null));
      f.complete(result); // done at once; the callback comes later
      return f;
    }

    @Override
    public void close() {}
  }

  @Test
  void shouldReturnFromMapOnlyAfterTheLastProgressReport() throws Exception {
    LateCallbackDispatcher backend = new LateCallbackDispatcher(1, false);
    List<Long> reported = new CopyOnWriteArrayList<>();
    MapOptions options = MapOptions.builder().progressListener((done, total) -> reported.add(done)).build();
    MapCall<Integer, Integer> call = new MapCall<>(backend, List.of(1, 2, 3), options, MapCall.Mode.MAP, 1, 100, 1, new PoolMeter("test"));
    Future<List<Integer>> results = collectInBackground(call);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> results.isDone() || callerParked());
    assertThat(results.isDone()).as("map returned before any progress was reported").isFalse();
    backend.callbacks.forEach(Runnable::run);
    assertThat(results.get()).containsExactly(1, 2, 3);
    assertThat(reported).containsExactly(1L, 2L, 3L);
  }

  /** Collects a map over an {@link UnderstatedList} in the background, once all 8 chunks are dispatched. */
  private Future<List<Integer>> collectUnderstated(ManualDispatcher backend) {
    MapCall<Integer, Integer> call = new MapCall<>(backend, new UnderstatedList(), MapOptions.defaults(),
        MapCall.Mode.MAP, 1, 100, 1, new PoolMeter("test"));
    Future<List<Integer>> results = collectInBackground(call);
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.chunks.size() == 8);
    return results;
  }

  @Test
  void shouldKeepResultsDeliveredInPlaceAfterTheResultArrayGrew() throws Exception {
    ManualDispatcher backend = new ManualDispatcher();
    Future<List<Integer>> results = collectUnderstated(backend);
    for (int i = 2; i < 8; i++) {
      backend.complete(i); // beyond the first size: handed to the caller, which grows its array
    }
    // the caller parks only once it has taken all six: the array has grown by then
    await().atMost(Duration.ofSeconds(10)).until(this::callerParked);
    backend.complete(0); // within the first size: written in place, into the array that was outgrown
    backend.complete(1);
    assertThat(results.get()).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
  }

  @Test
  void shouldAnswerAMapWhoseChunksAreAllIntsWithAListOverTheInts() throws Exception {
    ManualDispatcher backend = new ManualDispatcher();
    Future<List<Integer>> results = collectDispatched(backend, List.of(1, 2, 3, 4));
    for (int i : new int[] {2, 0, 3, 1}) {
      backend.completeInts(i);
    }
    List<Integer> list = results.get();
    assertThat(list).containsExactly(10, 20, 30, 40).isEqualTo(List.of(10, 20, 30, 40));
    assertThat(list).as("no Integer per result, no Object[]").isInstanceOf(IntResultList.class);
    assertThat(catchThrowable(() -> list.set(0, 1))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldKeepEveryValueWhenIntAndBoxedChunksArriveInAnyOrder() throws Exception {
    int[][] orders = {{0, 1, 2, 3}, {1, 0, 3, 2}, {3, 2, 1, 0}, {2, 3, 0, 1}};
    for (int[] order : orders) {
      ManualDispatcher backend = new ManualDispatcher();
      Future<List<Integer>> results = collectDispatched(backend, List.of(1, 2, 3, 4));
      for (int i : order) {
        if (i % 2 == 0) {
          backend.completeInts(i);
        } else {
          backend.complete(i);
        }
      }
      assertThat(results.get()).as("completion order %s", java.util.Arrays.toString(order))
          .containsExactly(10, 20, 30, 40);
    }
  }

  @Test
  void shouldKeepIntResultsDeliveredInPlaceAfterTheResultArrayGrew() throws Exception {
    ManualDispatcher backend = new ManualDispatcher();
    Future<List<Integer>> results = collectUnderstated(backend);
    backend.completeInts(0); // in place, as ints, before the array grows
    for (int i = 2; i < 8; i++) {
      backend.completeInts(i); // beyond the first size: handed to the caller, which grows its array
    }
    await().atMost(Duration.ofSeconds(10)).until(this::callerParked);
    backend.completeInts(1); // in place, after the array grew
    assertThat(results.get()).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
  }

  @Test
  void shouldKeepIntsWhenTheCallerSeesARunDoneBeforeItsCallbackPutItInPlace() throws Exception {
    LateCallbackDispatcher backend = new LateCallbackDispatcher(10, true); // the callbacks come after map returned
    List<Integer> results = mapOf(backend, List.of(1, 2, 3)).collect();
    assertThat(results).containsExactly(10, 20, 30).isInstanceOf(IntResultList.class);
    backend.callbacks.forEach(Runnable::run); // the late deliveries write the same values
    assertThat(results).containsExactly(10, 20, 30);
  }
}
