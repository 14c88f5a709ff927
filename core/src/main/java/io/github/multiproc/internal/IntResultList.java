package io.github.multiproc.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The list {@code map} returns when every result arrived as an int: an unmodifiable view of an
 * {@code int[]} that boxes on {@link #get}, like Guava's {@code Ints.asList}. It is equal to,
 * and hashes like, any list of the same {@code Integer}s; two {@code get}s of one index return
 * equal objects that need not be the same object (as for any {@code Integer} above 127).
 * Serialized, it travels as an ordinary immutable list ({@link List#copyOf}), so a reader needs
 * no multiproc class to read it.
 *
 * {@snippet :
 * List<Integer> squares = new IntResultList(new int[] {0, 1, 4}, 3);
 * int sum = 0;
 * for (int s : squares) { sum += s; } // boxing the JIT usually removes
 * }
 *
 * <p><b>Thread safety.</b> Immutable once handed out: safe to share between threads. (A
 * completing thread whose run the caller already put in place may still write that run's values
 * into the array after {@code map} returned; they are the same values.)
 */
final class IntResultList extends AbstractList<Integer> implements RandomAccess, Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final int[] values;
  private final int size;

  /**
   * @param values the results; not copied, and not written after this
   * @param size how many of them, from index 0
   */
  IntResultList(int[] values, int size) {
    Objects.checkFromIndexSize(0, size, values.length);
    this.values = values;
    this.size = size;
  }

  @Override
  public Integer get(int index) {
    Objects.checkIndex(index, size);
    return values[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int indexOf(Object o) {
    if (o instanceof Integer target) {
      for (int i = 0; i < size; i++) {
        if (values[i] == target) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public int lastIndexOf(Object o) {
    if (o instanceof Integer target) {
      for (int i = size - 1; i >= 0; i--) {
        if (values[i] == target) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }

  @Override
  public Object[] toArray() {
    Object[] out = new Object[size];
    for (int i = 0; i < size; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Integer.hashCode(values[i]);
    }
    return h;
  }

  @Serial
  private Object writeReplace() {
    return List.copyOf(this);
  }
}
