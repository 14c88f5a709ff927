package io.github.multiproc.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.multiproc.Pool;
import io.github.multiproc.ThreadPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a Guava user does with {@link MorePools}: callbacks, transforms, cancellation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MorePoolsTest {

  private final Pool pool = ThreadPool.create(2);

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void shouldRunCallbacksAndTransformsOnTheResults() throws Exception {
    ListeningExecutorService executor = MorePools.listeningDecorator(pool);
    AtomicReference<Integer> seen = new AtomicReference<>();
    ListenableFuture<Integer> answer = executor.submit(() -> 42);
    Futures.addCallback(answer, new FutureCallback<>() {
      @Override
      public void onSuccess(Integer result) {
        seen.set(result);
      }

      @Override
      public void onFailure(Throwable t) {
        seen.set(-1);
      }
    }, MoreExecutors.directExecutor());
    ListenableFuture<String> text = Futures.transform(answer, x -> "answer " + x, MoreExecutors.directExecutor());

    assertThat(text.get()).isEqualTo("answer 42");
    await().atMost(Duration.ofSeconds(30)).until(() -> seen.get() != null);
    assertThat(seen.get()).isEqualTo(42);
    assertThat(Futures.allAsList(executor.submit(() -> 1), executor.submit(() -> 2)).get()).containsExactly(1, 2);
  }

  @Test
  void shouldFailTheFutureWithWhatTheTaskThrew() {
    ListenableFuture<Object> failed = MorePools.listeningDecorator(pool).submit((Callable<Object>) () -> {
      throw new IllegalStateException("no luck");
    });
    assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(IllegalStateException.class).hasMessage("no luck");
  }

  @Test
  void shouldReturnListenableFuturesFromInvokeAll() throws Exception {
    List<Future<Integer>> all = MorePools.listeningDecorator(pool).invokeAll(List.of(() -> 1, () -> {
      throw new IllegalStateException("second");
    }));
    assertThat(all).allMatch(f -> f instanceof ListenableFuture<?>).allMatch(Future::isDone);
    assertThat(all.get(0).get()).isEqualTo(1);
    assertThatThrownBy(() -> all.get(1).get()).cause().hasMessage("second");
  }

  @Test
  void shouldInterruptTheTaskWhenTheListenableFutureIsCancelledWithInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    ListenableFuture<Object> f = MorePools.listeningDecorator(pool).submit(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
      return null;
    });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    await().atMost(Duration.ofSeconds(30)).untilTrue(interrupted);
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void shouldSubmitAJobAsAListenableFuture() throws Exception {
    assertThat(MorePools.submit(pool, () -> "job").get()).isEqualTo("job");
  }

  @Test
  void shouldMirrorACompletableFutureBothWays() {
    CompletableFuture<String> source = new CompletableFuture<>();
    ListenableFuture<String> adapted = MorePools.listenable(source);
    source.completeExceptionally(new IllegalStateException("broken"));
    assertThatThrownBy(adapted::get).isInstanceOf(ExecutionException.class).cause().hasMessage("broken");

    CompletableFuture<String> cancelledSource = new CompletableFuture<>();
    ListenableFuture<String> cancelled = MorePools.listenable(cancelledSource);
    cancelledSource.cancel(false);
    assertThat(cancelled.isCancelled()).isTrue();

    CompletableFuture<String> target = new CompletableFuture<>();
    assertThat(MorePools.listenable(target).cancel(true)).isTrue();
    assertThat(target.isCancelled()).isTrue();
  }
}
