package io.github.multiproc.ipc.codec;

import java.io.InvalidObjectException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Bounds the CPU that rebuilding nested collections costs, for one decode: a {@code HashSet} or
 * {@code HashMap} hashes its elements while it is read, and the hash of a collection walks its
 * elements, so collections that share their elements ("billion laughs": a set holding two sets
 * that both hold the next two, a hundred levels deep) cost 2^levels steps from a few kilobytes.
 *
 * <p>Every collection and map is weighed as it is completed (before an enclosing collection
 * hashes it): its weight is 1 plus the weight of each element (1 for an element that is not a
 * collection, the memoized weight of one that is), that is, the number of steps its
 * {@code hashCode} takes. The sum of the weights of all collections of the payload must stay
 * within {@code WORK_PER_PAYLOAD_BYTE × payload bytes + WORK_ALLOWANCE}; a tree of collections,
 * however nested, weighs about its element count times its depth and passes, while the
 * billion-laughs payload is refused after about 17 levels, a few milliseconds of hashing.
 *
 * <p>Not bounded here: the cost of an allowed class's own {@code hashCode}/{@code equals}/
 * {@code readObject} (a record graph that shares its components, a map of distinct keys whose
 * hashes collide). Those are left to the caller's decode deadline, which can stop a decode by
 * interrupting its thread (see {@link DecodeFilter}).
 *
 * <p>One instance per decode; not thread-safe.
 */
final class CollectionWork {

  /** Hash steps a payload may cost per byte it holds. */
  static final long WORK_PER_PAYLOAD_BYTE = 16;
  /**
   * Hash steps any payload may cost besides, however short it is. Kept small because a step is
   * not only CPU: on a cold JVM, where the hashing runs interpreted, each step allocates an
   * iterator (~24 bytes), so the allowance is also garbage the parent makes before refusing
   * (2^17 steps, at most ~2^18 taken before the refusal: ~6 MiB, within the decode's memory bound of
   * 4 x the bytes received + a constant, checked end to end by {@code HostileResultsIT}).
   */
  static final long WORK_ALLOWANCE = 1L << 17;

  private final IdentityHashMap<Object, Long> weights = new IdentityHashMap<>();
  private final long budget;
  private long spent;

  /** @param payloadBytes the length of the payload being decoded */
  CollectionWork(long payloadBytes) {
    this.budget = WORK_PER_PAYLOAD_BYTE * payloadBytes + WORK_ALLOWANCE;
  }

  /**
   * Weighs a just-completed object if it is a collection or a map.
   *
   * @throws InvalidObjectException if the payload's collections cost more than the budget
   */
  void completed(Object obj) throws InvalidObjectException {
    if (!(obj instanceof Collection<?>) && !(obj instanceof Map<?, ?>)) {
      return;
    }
    long w = 1;
    try {
      if (obj instanceof Collection<?> c) {
        for (Object e : c) {
          w = add(w, weightOf(e));
        }
      } else {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) obj).entrySet()) {
          w = add(add(w, weightOf(e.getKey())), weightOf(e.getValue()));
        }
      }
    } catch (RuntimeException e) {
      // an allowed collection class of the application that cannot be iterated yet: weigh it 1
    }
    weights.put(obj, w);
    spent = add(spent, w);
    if (spent > budget) {
      throw new InvalidObjectException("the payload's nested collections would cost more than "
          + budget + " hash steps to rebuild (" + WORK_PER_PAYLOAD_BYTE + " per payload byte + "
          + WORK_ALLOWANCE + "): collections sharing their elements, a 'billion laughs' payload");
    }
  }

  private long weightOf(Object e) {
    if (e instanceof Collection<?> || e instanceof Map<?, ?>) {
      Long w = weights.get(e);
      return w == null ? 1 : w;
    }
    return 1;
  }

  private static long add(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s; // saturate: both are positive
  }
}
