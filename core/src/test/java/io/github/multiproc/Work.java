package io.github.multiproc;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Workloads for tests: a task that waits the way real I/O does, and answers interrupts. */
public final class Work {

  private Work() {}

  /**
   * Waits for {@code howLong} inside a task, as a task blocked on I/O would.
   *
   * @param howLong how long to wait
   * @throws InterruptedException as soon as the thread is interrupted (its status cleared)
   */
  public static void pause(Duration howLong) throws InterruptedException {
    long deadline = System.nanoTime() + howLong.toNanos();
    for (long left = howLong.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted during a " + howLong + " pause");
      }
    }
  }
}
