package io.github.multiproc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>Layout: the consumer's {@code head} and the producers' {@code tail} (with {@code parked}, which
 * producers read on every add) sit on cache lines of their own, padded by the class hierarchy
 * (HotSpot lays out a superclass's fields first), so that taking an element does not evict the
 * line every producer swaps on, and neither shares a line with whatever is allocated next to the
 * queue:
 *
 * <pre>
 *   | 64 B padding | head | 64 B padding | tail, parked | 64 B padding |
 * </pre>
 *
 * <p>Thread safety: {@link #add} from any thread; {@link #take} from one consumer thread at a
 * time. An element may be added once.
 *
 * @param <E> the element type
 */
final class CompletionQueue<E extends CompletionQueue.Node> extends CompletionQueuePadAfterTail {

  /** An element: its own link in the queue. */
  static class Node {
    private volatile Node next;
  }

  private static final VarHandle TAIL;

  static {
    try {
      TAIL = MethodHandles.lookup().findVarHandle(CompletionQueueTail.class, "tail", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  CompletionQueue() {
    Node stub = new Node();
    head = stub;
    tail = stub;
  }

  /**
   * Appends an element and wakes the consumer if it is parked.
   *
   * @param e the element
   */
  void add(E e) {
    Node prev = (Node) TAIL.getAndSet(this, (Node) e);
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

// ---- layout: see CompletionQueue's class comment ----

@SuppressWarnings("unused")
abstract class CompletionQueuePadBeforeHead {
  long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class CompletionQueueHead extends CompletionQueuePadBeforeHead {
  CompletionQueue.Node head; // consumer only; starts at a stub
}

@SuppressWarnings("unused")
abstract class CompletionQueuePadBeforeTail extends CompletionQueueHead {
  long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class CompletionQueueTail extends CompletionQueuePadBeforeTail {
  volatile CompletionQueue.Node tail; // swapped by producers
  volatile Thread parked; // the consumer, while it is parked or about to park
}

@SuppressWarnings("unused")
abstract class CompletionQueuePadAfterTail extends CompletionQueueTail {
  long p20, p21, p22, p23, p24, p25, p26, p27;
}
