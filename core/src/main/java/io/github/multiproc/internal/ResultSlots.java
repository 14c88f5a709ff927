package io.github.multiproc.internal;

import io.github.multiproc.spi.ChunkResult;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Where the results of a {@code map} with a known number of inputs land: each completing thread
 * copies its chunk's values into the chunk's range, and the caller turns the whole into the list
 * {@code map} returns. Results that arrive as ints, longs or doubles (a process pool's workers
 * send a run of {@code Integer}, {@code Long} or {@code Double} results as raw big-endian values)
 * stay unboxed: 100,000 ints cost a 400 KB array instead of 100,000 {@code Integer} objects and
 * the array that points at them (2 MB), which is allocation a cold JVM pays for in page faults,
 * and a warm one in garbage collection.
 *
 * <pre>
 *  one of:
 *    ints     int[size]     while every chunk delivered so far was int-valued
 *    longs    long[size]    ... long-valued
 *    doubles  double[size]  ... double-valued
 *    objects  Object[size]  from the first chunk that was none of these, or not of the kind of
 *                           the chunks before; the values delivered before are boxed into it then
 * </pre>
 *
 * {@snippet :
 * ResultSlots slots = new ResultSlots(100_000);
 * slots.deliver(0, chunkResult);            // a completing thread, for the chunk at 0
 * List<Object> results = slots.list(count); // the caller, once every chunk is delivered
 * }
 *
 * <p><b>Thread safety.</b> Thread-safe: every method holds the object's lock (a few calls per
 * chunk, not per item). A caller that saw a chunk delivered (its {@code ChunkRun.delivered},
 * written after {@link #deliver} returned) sees its values in {@link #copyTo} and {@link #list}.
 */
final class ResultSlots {

  private final int size;
  private int[] ints;
  private long[] longs;
  private double[] doubles;
  private Object[] objects;

  /** @param size how many results the map expects */
  ResultSlots(int size) {
    this.size = size;
  }

  /** {@return how many results the slots hold room for} */
  int size() {
    return size;
  }

  /**
   * Copies a chunk's values into its range. A chunk may be delivered twice, by its completing
   * thread and by the caller that saw its future done first; both write the same values.
   *
   * @param first the range's start: the chunk's first input index
   * @param result the chunk's outcome, without failures, ending at or before {@link #size()}
   */
  synchronized void deliver(int first, ChunkResult<?> result) {
    if (objects == null && result.isIntValued() && longs == null && doubles == null) {
      if (ints == null) {
        ints = new int[size];
      }
      result.copyIntsTo(ints, first);
    } else if (objects == null && result.isLongValued() && ints == null && doubles == null) {
      if (longs == null) {
        longs = new long[size];
      }
      result.copyLongsTo(longs, first);
    } else if (objects == null && result.isDoubleValued() && ints == null && longs == null) {
      if (doubles == null) {
        doubles = new double[size];
      }
      result.copyDoublesTo(doubles, first);
    } else {
      result.copyValuesTo(objects(), first);
    }
  }

  /**
   * Copies a range of values, boxed, into {@code target} (the caller's larger array when the
   * inputs outgrew the size they had when the map began).
   *
   * @param from the first index
   * @param n how many
   * @param target where they go, at the same indices
   */
  synchronized void copyTo(int from, int n, Object[] target) {
    if (objects != null) {
      System.arraycopy(objects, from, target, from, n);
    } else if (ints != null || longs != null || doubles != null) {
      for (int i = from; i < from + n; i++) {
        target[i] = unboxedAt(i);
      }
    }
  }

  /**
   * Returns the first {@code count} results as the unmodifiable list {@code map} returns: over the
   * ints themselves if every chunk delivered ints.
   *
   * @param count how many inputs the map read, at most {@link #size()}
   * @param <R> the result type
   * @return the results
   */
  @SuppressWarnings("unchecked")
  synchronized <R> List<R> list(int count) {
    if (objects == null && ints != null) {
      return (List<R>) new IntResultList(ints, count);
    }
    if (objects == null && longs != null) {
      return (List<R>) BoxingResultList.ofLongs(longs, count);
    }
    if (objects == null && doubles != null) {
      return (List<R>) BoxingResultList.ofDoubles(doubles, count);
    }
    Object[] values = objects();
    return (List<R>) Collections.unmodifiableList(
        Arrays.asList(values.length == count ? values : Arrays.copyOf(values, count)));
  }

  private Object[] objects() {
    if (objects == null) {
      Object[] boxed = new Object[size];
      if (ints != null || longs != null || doubles != null) { // slots not delivered yet get a 0 here, overwritten when they are
        for (int i = 0; i < size; i++) {
          boxed[i] = unboxedAt(i);
        }
        ints = null;
        longs = null;
        doubles = null;
      }
      objects = boxed;
    }
    return objects;
  }

  /** Slot {@code i} of whichever primitive array is held, boxed. */
  private Object unboxedAt(int i) {
    if (ints != null) {
      return ints[i];
    }
    if (longs != null) {
      return longs[i];
    }
    return doubles[i];
  }
}
