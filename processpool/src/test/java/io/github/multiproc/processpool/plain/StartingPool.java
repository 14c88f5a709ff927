package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;

/**
 * Starts a pool of four workers, each tagged with the marker in {@code args[0]} so a test can
 * find them by their command line, then waits to be killed: the parent the isolation tests kill
 * at random moments of its workers' start-up.
 */
public final class StartingPool {

  private StartingPool() {}

  /**
   * @param args the marker
   * @throws InterruptedException never: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    ProcessPool pool = ProcessPool.builder().workers(4).aotCache(false)
        .jvmArgs("-Dmultiproc.test.marker=" + args[0]).build();
    System.out.println("ready " + pool.workerPids());
    Thread.sleep(Long.MAX_VALUE);
  }
}
