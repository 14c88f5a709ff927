package io.github.multiproc;

/** The ExecutorService view contract against {@link ThreadPool}. */
class ThreadPoolExecutorServiceTest extends ExecutorServiceContract {
  @Override
  protected Pool createPool(int workers) {
    return ThreadPool.create(workers);
  }
}
