package io.github.multiproc.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands completed chunks from any number of completing threads to the one thread that consumes
 * a call's results. Lock-free on the completing side: an element is appended with one atomic swap
 * and no allocation, and the consumer is unparked only when it announced that it is about to park,
 * so a burst of completions costs no wake-ups while the consumer is busy (a blocking queue signals
 * on every put into an empty queue).
 *
 * <p>The queue is intrusive (D. Vyukov's multi-producer single-consumer queue): each element is
 * its own link.
 *
 * <pre>
 *   head (consumer only)                          tail (swapped by producers)
 *    │                                              │
 *    ▼                                              ▼
 *  [stub or last taken] ──next──▶ [e1] ──next──▶ [e2]
 *
 *   add(e):  prev = tail.getAndSet(e); prev.next = e      (until prev.next is set, e is unreachable)
 *   poll():  n = head.next; if n == null: empty; head = n; return n   (n stays as the new head)
 * </pre>
 *
 * <p>Memory visibility: {@code next} is volatile, so everything a producer wrote before
 * {@link #add} is visible to the consumer that takes the element. The parking handshake is a
 * Dekker pair of volatiles: the consumer writes {@code parked}, then reads {@code next}; the
 * producer writes {@code next}, then reads {@code parked}; at least one sees the other.
 *
 * <p>Thread safety: {@link #add} from any thread; {@link #take} from one consumer thread at a
 * time. An element may be added once.
 *
 * @param <E> the element type
 */
final class CompletionQueue<E extends CompletionQueue.Node> {

  /** An element: its own link in the queue. */
  static class Node {
    private volatile Node next;
  }

  private Node head = new Node(); // consumer only; starts at a stub
  private final AtomicReference<Node> tail = new AtomicReference<>(head);
  private volatile Thread parked; // the consumer, while it is parked or about to park

  /**
   * Appends an element and wakes the consumer if it is parked.
   *
   * @param e the element
   */
  void add(E e) {
    Node prev = tail.getAndSet(e);
    prev.next = e;
    Thread waiter = parked;
    if (waiter != null) {
      LockSupport.unpark(waiter);
    }
  }

  @SuppressWarnings("unchecked") // only E's are linked after the stub
  private E poll() {
    Node n = head.next;
    if (n == null) {
      return null; // empty, or a producer is between its swap and its link (it unparks after linking)
    }
    head = n;
    return (E) n;
  }

  /**
   * Returns the next element, waiting for one if need be.
   *
   * @return the element
   * @throws InterruptedException if interrupted while waiting
   */
  E take() throws InterruptedException {
    E e = poll();
    if (e != null) {
      return e;
    }
    Thread self = Thread.currentThread();
    try {
      while (true) {
        parked = self;
        e = poll(); // re-check after announcing: an add() from now on sees `parked` and unparks
        if (e != null) {
          return e;
        }
        LockSupport.park(this);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for a chunk to complete");
        }
        e = poll();
        if (e != null) {
          return e;
        }
      }
    } finally {
      parked = null;
    }
  }
}
