package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Conformance cases of {@link ConcurrentMap} (as {@link java.util.concurrent.ConcurrentHashMap}
 * behaves: no null keys or values), run against an empty map; each step checks the contract's
 * answer. Runs anywhere: in a worker JVM through a proxy, or in the test JVM against the JDK's map.
 */
final class MapContract {

  private MapContract() {}

  /**
   * Runs every case.
   *
   * @param m an empty map
   * @return the checks, with what failed
   */
  static Checks check(ConcurrentMap<String, Integer> m) {
    Checks c = new Checks("map");
    c.isTrue("isEmpty at first", m.isEmpty());
    c.eq("size at first", m.size(), 0);
    c.eq("get of a missing key", m.get("a"), null);
    c.eq("containsKey of a missing key", m.containsKey("a"), false);
    c.eq("put of a new key", m.put("a", 1), null);
    c.eq("put over a key returns the old value", m.put("a", 2), 1);
    c.eq("get after put", m.get("a"), 2);
    c.eq("size after puts", m.size(), 1);
    c.eq("containsValue present", m.containsValue(2), true);
    c.eq("containsValue replaced", m.containsValue(1), false);
    c.eq("putIfAbsent on a present key", m.putIfAbsent("a", 3), 2);
    c.eq("putIfAbsent on a new key", m.putIfAbsent("b", 3), null);
    c.eq("get after putIfAbsent", m.get("b"), 3);
    c.eq("replace present", m.replace("a", 9), 2);
    c.eq("replace missing", m.replace("zz", 1), null);
    c.eq("replace missing adds nothing", m.containsKey("zz"), false);
    c.eq("replace(k, wrong old, new)", m.replace("a", 5, 6), false);
    c.eq("replace(k, old, new)", m.replace("a", 9, 10), true);
    c.eq("get after replace", m.get("a"), 10);
    c.eq("remove(k, wrong value)", m.remove("a", 1), false);
    c.eq("remove(k, value)", m.remove("a", 10), true);
    c.eq("containsKey after remove", m.containsKey("a"), false);
    c.eq("remove present", m.remove("b"), 3);
    c.eq("remove missing", m.remove("b"), null);
    m.putAll(Map.of("c", 1, "d", 2, "e", 3));
    c.eq("size after putAll", m.size(), 3);
    c.eq("getOrDefault missing", m.getOrDefault("x", 7), 7);
    c.eq("getOrDefault present", m.getOrDefault("c", 7), 1);
    c.eq("keySet", m.keySet(), Set.of("c", "d", "e"));
    c.eq("values", new ArrayList<>(m.values()).stream().sorted().toList(), List.of(1, 2, 3));
    c.eq("entrySet contains an entry", m.entrySet().contains(new SimpleEntry<>("c", 1)), true);
    c.eq("entrySet lacks another value", m.entrySet().contains(new SimpleEntry<>("c", 2)), false);
    c.eq("equals a JDK map", m.equals(Map.of("c", 1, "d", 2, "e", 3)), true);
    c.eq("a JDK map equals it", Map.of("c", 1, "d", 2, "e", 3).equals(m), true);
    c.eq("equals a different map", m.equals(Map.of("c", 1)), false);
    c.eq("hashCode as a JDK map's", m.hashCode(), Map.of("c", 1, "d", 2, "e", 3).hashCode());
    c.isTrue("toString shows entries", m.toString().contains("c=1"));
    for (Iterator<Map.Entry<String, Integer>> it = m.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getKey().equals("d")) {
        it.remove();
      }
    }
    c.eq("removed through the entry iterator", m.containsKey("d"), false);
    c.eq("size after iterator remove", m.size(), 2);
    c.eq("keySet().remove", m.keySet().remove("e"), true);
    c.eq("size after keySet().remove", m.size(), 1);
    for (Map.Entry<String, Integer> e : m.entrySet()) {
      e.setValue(100);
    }
    c.eq("entry setValue writes through", m.get("c"), 100);
    c.eq("values().remove", m.values().remove(100), true);
    c.isTrue("empty after values().remove", m.isEmpty());
    BiFunction<String, Integer, Integer> inc = (BiFunction<String, Integer, Integer> & Serializable) (k, v) -> v == null ? 1 : v + 1;
    c.eq("compute on a missing key", m.compute("n", inc), 1);
    c.eq("compute on a present key", m.compute("n", inc), 2);
    Function<String, Integer> fifty = (Function<String, Integer> & Serializable) k -> 50;
    c.eq("computeIfAbsent on a present key", m.computeIfAbsent("n", fifty), 2);
    c.eq("computeIfAbsent on a missing key", m.computeIfAbsent("o", fifty), 50);
    BiFunction<String, Integer, Integer> drop = (BiFunction<String, Integer, Integer> & Serializable) (k, v) -> null;
    c.eq("computeIfPresent to null", m.computeIfPresent("o", drop), null);
    c.eq("computeIfPresent to null removes", m.containsKey("o"), false);
    BiFunction<Integer, Integer, Integer> sum = (BiFunction<Integer, Integer, Integer> & Serializable) Integer::sum;
    c.eq("merge into a present value", m.merge("n", 5, sum), 7);
    c.eq("merge a missing key", m.merge("p", 5, sum), 5);
    BiFunction<String, Integer, Integer> twice = (BiFunction<String, Integer, Integer> & Serializable) (k, v) -> v * 2;
    m.replaceAll(twice);
    c.eq("replaceAll", m.get("n"), 14);
    Map<String, Integer> seen = new HashMap<>();
    m.forEach(seen::put);
    c.eq("forEach", seen, Map.of("n", 14, "p", 10));
    c.throwsA("put of a null key", NullPointerException.class, () -> m.put(null, 1));
    c.throwsA("put of a null value", NullPointerException.class, () -> m.put("x", null));
    c.throwsA("get of null", NullPointerException.class, () -> m.get(null));
    Map<String, Integer> withNullKey = new HashMap<>();
    withNullKey.put(null, 1);
    c.throwsA("putAll with a null key", NullPointerException.class, () -> m.putAll(withNullKey));
    m.clear();
    c.isTrue("isEmpty after clear", m.isEmpty());
    c.eq("size after clear", m.size(), 0);
    return c;
  }
}
