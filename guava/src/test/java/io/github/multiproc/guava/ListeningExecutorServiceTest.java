package io.github.multiproc.guava;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.multiproc.ExecutorServiceContract;
import io.github.multiproc.Pool;
import io.github.multiproc.ThreadPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** The ExecutorService contract, through {@link MorePools#listeningDecorator} of a {@link ThreadPool}. */
class ListeningExecutorServiceTest extends ExecutorServiceContract {

  @Override
  protected Pool createPool(int workers) {
    return ThreadPool.create(workers);
  }

  @Override
  protected ExecutorService view(Pool pool) {
    ExecutorService view = MorePools.listeningDecorator(pool);
    Future<Integer> probe = view.submit(() -> 1);
    assertThat(probe).isInstanceOf(ListenableFuture.class);
    // waited for: a probe left queued is a task shutdownNow() rightly names as never started,
    // which the contract's idle case then saw (2 runs in 5 on a loaded machine)
    assertThat(Futures.getUnchecked(probe)).isEqualTo(1);
    return view;
  }
}
