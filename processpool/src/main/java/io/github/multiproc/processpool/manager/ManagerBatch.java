package io.github.multiproc.processpool.manager;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Many operations on a manager's objects in one round trip. {@link #on(Object)} gives a recording
 * stand-in of a proxy: calling its methods records them (they return {@code null}, zero or
 * {@code false}); {@link #run()} sends them all at once and returns each result in order.
 *
 * {@snippet :
 * ManagerBatch batch = new ManagerBatch();
 * ConcurrentMap<String, Integer> m = batch.on(scores);
 * for (int i = 0; i < 1000; i++) {
 *   m.put("k" + i, i);
 * }
 * m.get("k7");
 * List<Object> results = batch.run();   // 1001 results; results.get(1000) is 7
 * }
 *
 * <p>The manager runs the operations in order, each atomic on its object as a single call is;
 * other clients' calls may come between them (a compound update that must not be interleaved
 * belongs in {@link Manager#atomically}). If one throws, those after it do not run and
 * {@link #run()} throws {@link ManagerCallException} naming its index, with what it threw as the
 * cause. Every operation's arguments are encoded when it is recorded, so one that does not
 * serialize fails at once.
 *
 * <p>Thread safety: not thread-safe; one thread records and runs a batch. A batch may be run
 * again (it sends the same operations) and may hold operations on several objects of one manager.
 *
 * @since 0.2
 */
public final class ManagerBatch {

  private final List<CallWire.Encoded> calls = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();

  /** Creates an empty batch. */
  public ManagerBatch() {}

  /**
   * A recording stand-in for a proxy: its calls are added to this batch.
   *
   * @param proxy a proxy from {@link Manager#map}, {@link Manager#list}, {@link Manager#counter}
   *     or {@link Manager#create} (in this JVM or arrived from another)
   * @param <T> the proxy's interface
   * @return an object of the same interface that records calls
   * @throws IllegalArgumentException if it is not a manager's proxy, or belongs to another
   *     manager than the batch's operations so far
   */
  @SuppressWarnings("unchecked")
  public <T> T on(T proxy) {
    Target t = Target.of(proxy);
    if (!targets.isEmpty() && !targets.getFirst().ref.manager().equals(t.ref.manager())) {
      throw new IllegalArgumentException("a batch goes to one manager: " + t.ref.describe() + " is not on "
          + targets.getFirst().ref.manager().describe());
    }
    return (T) Proxy.newProxyInstance(t.visible.getClassLoader() == null ? ManagerBatch.class.getClassLoader()
        : t.visible.getClassLoader(), new Class<?>[] {t.visible}, (p, m, args) -> record(p, t, m, args));
  }

  private Object record(Object p, Target t, Method m, Object[] args) {
    if (m.getDeclaringClass() == Object.class) {
      return switch (m.getName()) {
        case "equals" -> p == args[0];
        case "hashCode" -> System.identityHashCode(p);
        default -> "batch recorder of " + t.ref.describe();
      };
    }
    calls.add(CallWire.encode(t.ref.id(), t.indexOf(m), args, t.results));
    names.add(m.getName());
    targets.add(t);
    return zero(m.getReturnType());
  }


  private static Object zero(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return '\0';
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == float.class) {
      return 0f;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    return 0;
  }

  /** {@return how many operations are recorded} */
  public int size() {
    return calls.size();
  }

  /**
   * Sends every recorded operation in one message and waits for all the results.
   *
   * @return each operation's result, in order ({@code null} for a {@code void} method)
   * @throws ManagerCallException if an operation threw (its index in the message; the cause is
   *     what it threw, with its remote stack trace)
   * @throws ManagerGoneException if the manager is gone
   */
  public List<Object> run() {
    if (calls.isEmpty()) {
      return List.of();
    }
    byte[] answer = targets.getFirst().clients.roundTrip(CallWire.batch(calls));
    byte[][] answers = CallWire.splitBatchAnswer(answer);
    List<Object> results = new ArrayList<>(answers.length);
    for (int i = 0; i < answers.length; i++) {
      CallWire.Outcome o = CallWire.read(answers[i], targets.get(i).results);
      if (o.failure() != null) {
        throw new ManagerCallException("operation " + i + " of the batch (" + names.get(i) + " on "
            + targets.get(i).ref.describe() + ") threw " + o.failure() + "; the " + (calls.size() - i - 1)
            + " after it did not run", o.failure());
      }
      results.add(o.value());
    }
    return Collections.unmodifiableList(results);
  }
}
