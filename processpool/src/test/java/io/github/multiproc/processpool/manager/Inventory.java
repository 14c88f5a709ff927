package io.github.multiproc.processpool.manager;

import java.util.Map;

/** A user's interface served by a manager in the tests. */
public interface Inventory {

  /** Stock ran out: a checked exception the interface declares. */
  final class OutOfStockException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param item the item */
    public OutOfStockException(String item) {
      super("out of " + item);
    }
  }

  /** Adds stock and returns the new count. */
  int add(String item, int n);

  /** Takes stock, or throws the declared checked exception. */
  int take(String item, int n) throws OutOfStockException;

  /** The count of an item. */
  int count(String item);

  /** A copy of everything. */
  Map<String, Integer> all();

  /** Throws an undeclared checked exception (sneakily): the caller cannot throw it as is. */
  void failUndeclared();

  /** Returns something that does not serialize. */
  Object unserializableResult();

  /** A default method: runs in the manager, atomically, like any other. */
  default int addTwice(String item, int n) {
    add(item, n);
    return add(item, n);
  }
}
