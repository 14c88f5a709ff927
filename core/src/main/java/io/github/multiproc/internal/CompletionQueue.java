package io.github.multiproc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands completed runs from any number of completing threads to the one thread that consumes a
 * call's results. Lock-free on the completing side: an element is appended with one atomic swap
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
 * producers read on every add) sit on cache lines of their own, padded by the class hierarchy, so
 * that taking an element does not evict the line every producer swaps on, and neither shares a
 * line with whatever is allocated next to the queue. The padding is 64 {@code byte} fields per
 * class, not 8 {@code long}s: since JDK 15 HotSpot fills gaps in a superclass's layout (such as
 * the 4 bytes after a 12-byte header) with a subclass's fields, and bytes leave no gap.
 * Measured on JDK 25 ({@code Unsafe.objectFieldOffset}, compressed oops): {@code head} at 76,
 * {@code tail} at 144, {@code parked} at 148; with {@code long} padding {@code head} sat at 12:
 *
 * <pre>
 *   | 64 B padding | head | 64 B padding | tail, parked | 64 B padding |
 * </pre>
 *
 * <p>Thread safety: {@link #add} (and {@link #link}) from any thread; {@link #take},
 * {@link #poll} and {@link #pollAfterAnnouncing} from one consumer thread at a time. An element
 * may be added once. The two halves of the parking handshake are methods of their own so that
 * the jcstress tests (module {@code jcstress}) exercise this code, not a copy of it.
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
    Thread waiter = link(e);
    if (waiter != null) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * The producer's half of the parking handshake: appends an element, then reads whether the
   * consumer announced that it parks.
   *
   * @param e the element
   * @return the consumer to unpark, or null if it did not announce itself
   */
  Thread link(E e) {
    Node prev = (Node) TAIL.getAndSet(this, (Node) e);
    prev.next = e; // volatile: publishes e, and orders the read of parked after it
    return parked;
  }

  /**
   * Takes the next element if one is linked. Consumer only.
   *
   * @return the element, or null if there is none yet (also while a producer is between its swap
   *     and its link: it wakes the consumer after linking)
   */
  @SuppressWarnings("unchecked") // only E's are linked after the stub
  E poll() {
    Node n = head.next;
    if (n == null) {
      return null;
    }
    head = n;
    return (E) n;
  }

  /**
   * The consumer's half of the parking handshake: announces that {@code self} is about to park,
   * then polls again. A producer that links after the announcement sees it and unparks.
   *
   * @param self the consumer's thread
   * @return the element, or null: the consumer may park
   */
  E pollAfterAnnouncing(Thread self) {
    parked = self; // volatile: ordered before the read of head.next
    return poll();
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
        e = pollAfterAnnouncing(self);
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

abstract class CompletionQueueHead extends CacheLinePadding {
  CompletionQueue.Node head; // consumer only; starts at a stub
}

@SuppressWarnings("unused")
abstract class CompletionQueuePadBeforeTail extends CompletionQueueHead {
  byte b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15;
  byte b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31;
  byte b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47;
  byte b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63;
}

abstract class CompletionQueueTail extends CompletionQueuePadBeforeTail {
  volatile CompletionQueue.Node tail; // swapped by producers
  volatile Thread parked; // the consumer, while it is parked or about to park
}

@SuppressWarnings("unused")
abstract class CompletionQueuePadAfterTail extends CompletionQueueTail {
  byte c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, c11, c12, c13, c14, c15;
  byte c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31;
  byte c32, c33, c34, c35, c36, c37, c38, c39, c40, c41, c42, c43, c44, c45, c46, c47;
  byte c48, c49, c50, c51, c52, c53, c54, c55, c56, c57, c58, c59, c60, c61, c62, c63;
}
