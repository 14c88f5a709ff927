package io.github.multiproc.processpool.manager;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Gate} on one latch per manager JVM, shared by every gate object. */
public final class LatchGate implements Gate {

  private static final CountDownLatch OPEN = new CountDownLatch(1);
  private static final AtomicInteger ENTERED = new AtomicInteger();

  @Override
  public void pass() {
    ENTERED.incrementAndGet();
    try {
      OPEN.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the manager", e);
    }
  }

  @Override
  public void open() {
    OPEN.countDown();
  }

  @Override
  public int entered() {
    return ENTERED.get();
  }
}
