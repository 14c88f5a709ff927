package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Runs the backend contract, unchanged, against {@link ProcessPool}, then checks that closing
 * the pools left no worker process behind.
 */
class ProcessPoolContractIT extends PoolContract {

  private final List<ProcessPool> created = new ArrayList<>();

  @Override
  protected Pool createPool(int workers) {
    ProcessPool pool = ProcessPool.create(workers);
    created.add(pool);
    return pool;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 2};
  }

  @Override
  protected int examples() {
    return 60;
  }

  @AfterAll
  void shouldLeaveNoWorkerProcessBehind() {
    created.forEach(Pool::close); // idempotent; the contract closed them already
    for (ProcessPool pool : created) {
      assertThat(pool.allWorkerProcesses()).noneMatch(ProcessHandle::isAlive);
    }
  }
}
