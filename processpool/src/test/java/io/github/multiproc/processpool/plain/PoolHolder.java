package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.util.concurrent.CountDownLatch;

/**
 * A parent JVM for {@code ParentDeathIT}: starts a two-worker pool, prints {@code pids=<a>,<b>}
 * and waits forever, until the test kills it with {@code SIGKILL}.
 */
public final class PoolHolder {

  private PoolHolder() {}

  /**
   * Runs the parent.
   *
   * @param args ignored
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).aotCache(false).build();
    // the workers are busy when the parent dies: a running task must not keep them alive
    pool.submit(() -> {
      new CountDownLatch(1).await();
      return null;
    });
    System.out.println("pids=" + pool.workerPids().stream().map(String::valueOf)
        .reduce((a, b) -> a + "," + b).orElseThrow());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
