package io.github.multiproc;

/** Runs the backend contract against {@link VirtualThreadPool}, its workers being the concurrency bound. */
class VirtualThreadPoolContractTest extends PoolContract {
  @Override
  protected Pool createPool(int workers) {
    return VirtualThreadPool.builder().maxConcurrency(workers).build();
  }
}
