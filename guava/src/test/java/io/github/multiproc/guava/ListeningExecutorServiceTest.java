package io.github.multiproc.guava;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.multiproc.ExecutorServiceContract;
import io.github.multiproc.Pool;
import io.github.multiproc.ThreadPool;
import java.util.concurrent.ExecutorService;

/** The ExecutorService contract, through {@link MorePools#listeningDecorator} of a {@link ThreadPool}. */
class ListeningExecutorServiceTest extends ExecutorServiceContract {

  @Override
  protected Pool createPool(int workers) {
    return ThreadPool.create(workers);
  }

  @Override
  protected ExecutorService view(Pool pool) {
    ExecutorService view = MorePools.listeningDecorator(pool);
    assertThat(view.submit(() -> 1)).isInstanceOf(ListenableFuture.class);
    return view;
  }
}
