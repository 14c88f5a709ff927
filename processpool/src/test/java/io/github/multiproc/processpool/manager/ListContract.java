package io.github.multiproc.processpool.manager;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;

/**
 * Conformance cases of {@link List} (as {@link ArrayList} behaves), run against an empty list; each
 * step checks the contract's answer. Runs anywhere: in a worker JVM through a proxy, or in the
 * test JVM against the JDK's list.
 */
final class ListContract {

  private ListContract() {}

  /**
   * Runs every case.
   *
   * @param l an empty list
   * @return the checks, with what failed
   */
  static Checks check(List<String> l) {
    Checks c = new Checks("list");
    c.isTrue("isEmpty at first", l.isEmpty());
    c.eq("size at first", l.size(), 0);
    c.eq("add", l.add("a"), true);
    l.add("b");
    l.add(1, "x");
    c.eq("add at an index", l, List.of("a", "x", "b"));
    c.eq("get", l.get(1), "x");
    c.eq("set returns the old element", l.set(1, "y"), "x");
    c.eq("indexOf", l.indexOf("b"), 2);
    c.eq("indexOf missing", l.indexOf("zz"), -1);
    c.eq("contains", l.contains("y"), true);
    c.eq("remove at an index", l.remove(0), "a");
    c.eq("remove an element", l.remove("b"), true);
    c.eq("remove a missing element", l.remove("zz"), false);
    c.eq("after removes", l, List.of("y"));
    c.eq("addAll", l.addAll(List.of("p", "q", "r")), true);
    c.eq("addAll at an index", l.addAll(1, List.of("m")), true);
    c.eq("after addAll", l, List.of("y", "m", "p", "q", "r"));
    c.eq("lastIndexOf", l.lastIndexOf("q"), 3);
    c.throwsA("get past the end", IndexOutOfBoundsException.class, () -> l.get(99));
    c.throwsA("add past the end", IndexOutOfBoundsException.class, () -> l.add(99, "z"));
    c.eq("equals a JDK list", l.equals(List.of("y", "m", "p", "q", "r")), true);
    c.eq("a JDK list equals it", new ArrayList<>(List.of("y", "m", "p", "q", "r")).equals(l), true);
    c.eq("equals another order", l.equals(List.of("m", "y", "p", "q", "r")), false);
    c.eq("hashCode as a JDK list's", l.hashCode(), List.of("y", "m", "p", "q", "r").hashCode());
    c.eq("toString", l.toString(), "[y, m, p, q, r]");
    for (Iterator<String> it = l.iterator(); it.hasNext(); ) {
      if (it.next().equals("m")) {
        it.remove();
      }
    }
    c.eq("removed through the iterator", l, List.of("y", "p", "q", "r"));
    ListIterator<String> li = l.listIterator();
    li.next();
    li.set("Y");
    li.add("Z");
    c.eq("listIterator set and add", l, List.of("Y", "Z", "p", "q", "r"));
    c.eq("listIterator from an index", l.listIterator(3).next(), "q");
    c.eq("subList", l.subList(1, 3), List.of("Z", "p"));
    l.subList(1, 3).clear();
    c.eq("subList().clear()", l, List.of("Y", "q", "r"));
    c.eq("removeIf", l.removeIf(s -> s.equals("q")), true);
    c.eq("after removeIf", l, List.of("Y", "r"));
    c.eq("removeAll", l.removeAll(List.of("r")), true);
    c.eq("retainAll that keeps everything", l.retainAll(List.of("Y", "k")), false);
    c.eq("containsAll", l.containsAll(List.of("Y")), true);
    c.eq("add null", l.add(null), true);
    c.eq("contains null", l.contains(null), true);
    c.eq("indexOf null", l.indexOf(null), 1);
    l.remove(null);
    l.addAll(List.of("c", "a", "b"));
    l.replaceAll(String::toLowerCase);
    c.eq("replaceAll", l, List.of("y", "c", "a", "b"));
    l.sort(Comparator.naturalOrder());
    c.eq("sort", l, List.of("a", "b", "c", "y"));
    c.eq("stream", l.stream().filter(s -> s.compareTo("b") > 0).toList(), List.of("c", "y"));
    c.eq("toArray", List.of(l.toArray()), List.of("a", "b", "c", "y"));
    c.eq("toArray(T[])", List.of(l.toArray(new String[0])), List.of("a", "b", "c", "y"));
    l.clear();
    c.isTrue("isEmpty after clear", l.isEmpty());
    return c;
  }
}
