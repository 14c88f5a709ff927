package io.github.multiproc.processpool.manager;

import java.util.HashMap;
import java.util.Map;

/** The implementation the tests register; runs in the manager only. */
public final class InventoryImpl implements Inventory {

  private final Map<String, Integer> stock = new HashMap<>();

  @Override
  public int add(String item, int n) {
    return stock.merge(item, n, Integer::sum);
  }

  @Override
  public int take(String item, int n) throws OutOfStockException {
    int have = stock.getOrDefault(item, 0);
    if (have < n) {
      throw new OutOfStockException(item);
    }
    stock.put(item, have - n);
    return have - n;
  }

  @Override
  public int count(String item) {
    return stock.getOrDefault(item, 0);
  }

  @Override
  public Map<String, Integer> all() {
    return new HashMap<>(stock);
  }

  @Override
  public void failUndeclared() {
    InventoryImpl.<RuntimeException>sneaky(new java.io.IOException("disk on fire"));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Override
  public Object unserializableResult() {
    return new Holder(new Object());
  }

  /** Serializable, but holds a field that is not. */
  record Holder(Object lock) implements java.io.Serializable {}
}
