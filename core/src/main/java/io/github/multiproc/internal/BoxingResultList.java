package io.github.multiproc.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * The list {@code map} returns when every result arrived as a {@code long}, or every one as a
 * {@code double}: an unmodifiable view of a {@code long[]} or {@code double[]} that boxes on
 * {@link #get}, as {@link IntResultList} does for ints. It is equal to, and hashes like, any list
 * of the same values; serialized, it travels as an ordinary immutable list
 * ({@link List#copyOf}), so a reader needs no multiproc class to read it.
 *
 * {@snippet :
 * List<Long> squares = BoxingResultList.ofLongs(new long[] {0, 1, 4}, 3);
 * long sum = 0;
 * for (long s : squares) { sum += s; }
 * }
 *
 * <p><b>Thread safety.</b> Immutable once handed out: safe to share between threads (as for
 * {@link IntResultList}, a completing thread may still write the same values into the array).
 *
 * @param <E> {@code Long} or {@code Double}
 */
final class BoxingResultList<E> extends AbstractList<E> implements RandomAccess, Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final transient IntFunction<E> box; // never serialized: writeReplace
  private final int size;

  private BoxingResultList(IntFunction<E> box, int size) {
    this.box = box;
    this.size = size;
  }

  /**
   * @param values the results; not copied, and not written after this
   * @param size how many of them, from index 0
   * @return the view
   */
  static List<Long> ofLongs(long[] values, int size) {
    Objects.checkFromIndexSize(0, size, values.length);
    return new BoxingResultList<>(i -> values[i], size);
  }

  /**
   * @param values the results; not copied, and not written after this
   * @param size how many of them, from index 0
   * @return the view
   */
  static List<Double> ofDoubles(double[] values, int size) {
    Objects.checkFromIndexSize(0, size, values.length);
    return new BoxingResultList<>(i -> values[i], size);
  }

  @Override
  public E get(int index) {
    Objects.checkIndex(index, size);
    return box.apply(index);
  }

  @Override
  public int size() {
    return size;
  }

  @Serial
  private Object writeReplace() {
    return List.copyOf(this);
  }
}
