package io.github.multiproc.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands completed chunks from any number of completing threads to the one thread that consumes
 * a call's results. Lock-free on the completing side: an item is appended, and the consumer is
 * unparked only when it announced that it is about to park, so a burst of completions costs no
 * wake-ups while the consumer is busy (a blocking queue signals on every put into an empty queue).
 *
 * <p>Thread safety: {@link #add} from any thread; {@link #take} from one consumer thread at a time.
 *
 * @param <E> the element type
 */
final class CompletionQueue<E> {

  private final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();
  private volatile Thread parked; // the consumer, while it is parked or about to park

  void add(E e) {
    items.add(e);
    Thread waiter = parked;
    if (waiter != null) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * Returns the oldest element, waiting for one.
   *
   * @return the element
   * @throws InterruptedException if the consumer is interrupted while it waits (status cleared)
   */
  E take() throws InterruptedException {
    E e = items.poll();
    if (e != null) {
      return e;
    }
    Thread self = Thread.currentThread();
    try {
      while (true) {
        parked = self;
        e = items.poll(); // re-check after announcing: an add() in between sees `parked` and unparks
        if (e != null) {
          return e;
        }
        LockSupport.park(this);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for a chunk to complete");
        }
        e = items.poll();
        if (e != null) {
          return e;
        }
      }
    } finally {
      parked = null;
    }
  }
}
