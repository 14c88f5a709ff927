package io.github.multiproc.ipc.codec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What a codec does when JDK serialization runs out of stack ({@link StackOverflowError}): JDK
 * serialization recurses once per level of nesting, and a thread's default stack holds roughly a
 * thousand levels (measured on JDK 25: encode ~1,000 to ~1,800, decode ~800 to ~1,400, depending
 * on the thread and the JIT), about {@link DecodeLimits#DEFAULT_MAX_DEPTH}.
 *
 * <ul>
 *   <li>Encoding: the graph's depth is measured without recursion ({@link #probe}); deeper than
 *       the limit, the value is refused with {@link GraphTooDeepException} (the receiver would
 *       refuse it anyway); within the limit, the encode runs again on a thread with a big stack.
 *   <li>Decoding: the decode filter already stops at the limit, so the decode runs again on a
 *       thread with a big stack.
 * </ul>
 * Either way the happy path costs nothing: the retry happens only after an overflow. A thread
 * start costs ~100 µs, far less than serializing a thousand-level graph.
 *
 * <p>Stateless; thread-safe.
 */
final class DeepGraphs {

  /** Bytes of stack per level of nesting on the retry thread: generous (a level takes ~0.6 KiB). */
  private static final long STACK_BYTES_PER_LEVEL = 8 << 10;
  private static final long MIN_STACK_BYTES = 16L << 20;
  private static final long MAX_STACK_BYTES = 1L << 30;

  private DeepGraphs() {}

  /** The deepest object found by {@link #probe}, if deeper than the limit. */
  record TooDeep(String className) {}

  /**
   * Walks the graph depth first without recursion, following what serialization writes
   * ({@link SerializabilityInspector#forEachChild}), and stops at the first object deeper than
   * {@code maxDepth} levels (the root is level 1). Best effort, like the serializability
   * diagnosis: a custom {@code writeObject} may write other things than its fields.
   *
   * @return the object found past the limit, or {@code null} if the graph is within it
   */
  static TooDeep probe(Object root, int maxDepth) {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {object, Integer level}
    stack.push(new Object[] {root, 1});
    while (!stack.isEmpty() && seen.size() < SerializabilityInspector.MAX_VISITED) {
      Object[] top = stack.pop();
      Object v = top[0];
      int level = (Integer) top[1];
      if (v == null || seen.put(v, Boolean.TRUE) != null) {
        continue;
      }
      if (level > maxDepth) {
        return new TooDeep(SerializabilityInspector.describe(v));
      }
      List<Object> children = new ArrayList<>();
      SerializabilityInspector.forEachChild(v, (label, child) -> children.add(child));
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(new Object[] {children.get(i), level + 1});
      }
    }
    return null;
  }

  /**
   * Runs {@code work} on a new platform thread whose stack holds {@code maxDepth} levels of
   * serialization with room to spare, and waits for it (uninterruptibly: the work is bounded by
   * the graph; an interrupt is kept for the caller).
   *
   * @return what {@code work} returned
   * @throws RuntimeException or Error whatever {@code work} threw
   */
  static <T> T onBigStack(int maxDepth, Supplier<T> work) {
    long stack = Math.min(MAX_STACK_BYTES, Math.max(MIN_STACK_BYTES, maxDepth * STACK_BYTES_PER_LEVEL));
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name("multiproc-deep-graph-codec").daemon().stackSize(stack)
        .unstarted(() -> {
          try {
            result.set(work.get());
          } catch (Throwable e) {
            failure.set(e);
          }
        });
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join(); // happens-before: the thread's writes to result/failure are visible after join
        break;
      } catch (InterruptedException e) {
        interrupted = true; // keep waiting: the work is bounded; the status is restored below
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return result.get();
  }
}
