package io.github.multiproc.spi;

import io.github.multiproc.TaskFailedException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A run of consecutive inputs dispatched to one worker as a unit; or, made by {@link #ofJob()},
 * the one-item chunk of a submitted {@link io.github.multiproc.Job}, which is no input of any
 * list: its {@link #indexOf} is {@link TaskFailedException#NO_INDEX}, so every backend's errors say
 * "the task" rather than "input #0" without knowing about jobs.
 *
 * @param firstIndex the position of {@code items.get(0)} in the caller's inputs, or
 *     {@link TaskFailedException#NO_INDEX} for a job's chunk
 * @param items the inputs, in order; never empty. The engine made this list for the chunk, or
 *     (for {@code map} over a random-access list) it is a view of the caller's list: backends
 *     read it and must not change it
 * @param <T> the input type
 * @since 0.1
 */
public record Chunk<T>(long firstIndex, List<T> items) {

  /**
   * Checks the arguments.
   *
   * @param firstIndex at least 0, or {@link TaskFailedException#NO_INDEX} with one item
   * @param items not empty
   */
  public Chunk {
    Objects.requireNonNull(items, "items");
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a chunk holds at least one item");
    }
    if (firstIndex < 0 && !(firstIndex == TaskFailedException.NO_INDEX && items.size() == 1)) {
      throw new IllegalArgumentException("firstIndex must be >= 0 (or NO_INDEX for a job's one item): firstIndex="
          + firstIndex);
    }
  }

  /**
   * Returns the chunk of a submitted job: one {@code null} item, no input index.
   *
   * @param <T> the input type
   * @return the chunk
   */
  public static <T> Chunk<T> ofJob() {
    return new Chunk<>(TaskFailedException.NO_INDEX, Collections.singletonList(null));
  }

  /** {@return the number of inputs} */
  public int size() {
    return items.size();
  }

  /**
   * Returns the caller's index of the {@code i}-th item of this chunk.
   *
   * @param i the position in this chunk
   * @return {@code firstIndex + i}, or {@link TaskFailedException#NO_INDEX} for a job's chunk
   */
  public long indexOf(int i) {
    return indexOf(firstIndex, i);
  }

  /**
   * Returns the caller's index of the {@code i}-th item of a chunk that starts at
   * {@code firstIndex}: the one rule for backends that carry a chunk's first index without the
   * chunk (a process worker gets it in a frame).
   *
   * @param firstIndex the chunk's first index, or {@link TaskFailedException#NO_INDEX} for a job
   * @param i the position in the chunk
   * @return {@code firstIndex + i}, or {@link TaskFailedException#NO_INDEX} for a job's chunk
   */
  public static long indexOf(long firstIndex, int i) {
    return firstIndex == TaskFailedException.NO_INDEX ? TaskFailedException.NO_INDEX : firstIndex + i;
  }

  /**
   * Names this chunk for an error message.
   *
   * @return {@code "the chunk from input #<firstIndex>"}, or {@code "the submitted job"}
   */
  public String description() {
    return firstIndex == TaskFailedException.NO_INDEX ? "the submitted job" : "the chunk from input #" + firstIndex;
  }
}
