package io.github.multiproc.spi;

import java.util.List;
import java.util.Objects;

/**
 * A run of consecutive inputs dispatched to one worker as a unit.
 *
 * @param firstIndex the position of {@code items.get(0)} in the caller's inputs
 * @param items the inputs, in order; never empty. The engine made this list for the chunk and
 *     hands it over: backends read it and must not change it
 * @param <T> the input type
 * @since 0.1
 */
public record Chunk<T>(long firstIndex, List<T> items) {

  /**
   * Checks the arguments.
   *
   * @param firstIndex at least 0
   * @param items not empty
   */
  public Chunk {
    if (firstIndex < 0) {
      throw new IllegalArgumentException("firstIndex must be >= 0: firstIndex=" + firstIndex);
    }
    Objects.requireNonNull(items, "items");
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a chunk holds at least one item");
    }
  }

  /** {@return the number of inputs} */
  public int size() {
    return items.size();
  }

  /**
   * Returns the caller's index of the {@code i}-th item of this chunk.
   *
   * @param i the position in this chunk
   * @return {@code firstIndex + i}
   */
  public long indexOf(int i) {
    return firstIndex + i;
  }
}
