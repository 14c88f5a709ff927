package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.WorkerOutput;
import io.github.multiproc.processpool.manager.Manager;
import java.util.concurrent.CountDownLatch;

/**
 * An owner JVM for {@code ManagerOwnerDeathIT}: starts a manager, fills a map, prints
 * {@code manager=<pid>} and waits forever, until the test kills it with {@code SIGKILL}.
 */
public final class ManagerHolder {

  private ManagerHolder() {}

  /**
   * Runs the owner.
   *
   * @param args ignored
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    Manager manager = Manager.builder().name("orphan").output(WorkerOutput.DISCARD).start();
    manager.<String, Integer>map("m").put("a", 1);
    System.out.println("manager=" + manager.pid());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
