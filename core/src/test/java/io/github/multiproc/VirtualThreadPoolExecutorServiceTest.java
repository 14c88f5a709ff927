package io.github.multiproc;

/** The ExecutorService view contract against {@link VirtualThreadPool}, bounded like the others. */
class VirtualThreadPoolExecutorServiceTest extends ExecutorServiceContract {
  @Override
  protected Pool createPool(int workers) {
    return VirtualThreadPool.builder().maxConcurrency(workers).build();
  }
}
