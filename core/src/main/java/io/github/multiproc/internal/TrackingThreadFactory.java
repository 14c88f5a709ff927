package io.github.multiproc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * A thread factory that remembers the threads it made, so that a pool's {@code close()} can wait
 * until each has really ended ({@code Thread.isAlive()} false), not only until its executor
 * reports termination (which it does while its last threads are still exiting).
 *
 * <p>Thread-safe. Meant for pools of a few long-lived platform threads.
 */
public final class TrackingThreadFactory implements ThreadFactory {

  private final ThreadFactory delegate;
  private final List<Thread> made = new ArrayList<>(); // guarded by this

  /**
   * Wraps a factory.
   *
   * @param delegate makes the threads
   */
  public TrackingThreadFactory(ThreadFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = delegate.newThread(r);
    synchronized (this) {
      made.removeIf(old -> old.getState() == Thread.State.TERMINATED);
      made.add(t);
    }
    return t;
  }

  /**
   * Waits until every thread made so far has ended. If the caller is interrupted it keeps
   * waiting and sets its interrupt status again on return.
   */
  public void awaitAllEnded() {
    List<Thread> threads;
    synchronized (this) {
      threads = List.copyOf(made);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt(); // keep the caller's interrupt status
    }
  }
}
