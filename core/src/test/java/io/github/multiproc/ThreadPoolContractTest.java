package io.github.multiproc;

/** Runs the backend contract against {@link ThreadPool}. */
class ThreadPoolContractTest extends PoolContract {
  @Override
  protected Pool createPool(int workers) {
    return ThreadPool.create(workers);
  }
}
