package io.github.multiproc.spi;

import java.util.Objects;

/**
 * The outcome of one {@link Chunk}: for each item either a value or a failure, plus the time
 * the items took to run (used to size later chunks).
 *
 * <p>A failure is either what the task threw (any throwable, reported to the caller as the cause
 * of a {@link io.github.multiproc.TaskFailedException}) or, when the infrastructure failed, a
 * {@link io.github.multiproc.TaskFailedException} subclass the backend made (such as
 * {@link io.github.multiproc.WorkerDiedException}), which reaches the caller as it is.
 *
 * {@snippet :
 * ChunkResult<Integer> result = new ChunkResult<>(chunk.size());
 * for (int i = 0; i < chunk.size(); i++) {
 *   try { result.succeed(i, task.apply(chunk.items().get(i))); }
 *   catch (Exception e) { result.fail(i, e); }
 * }
 * }
 *
 * <p><b>Thread safety.</b> Not thread-safe while it is filled. It is handed over by completing a
 * {@link java.util.concurrent.CompletableFuture}, which makes the filled state visible to the
 * reader; it must not be changed after that.
 *
 * @param <R> the result type
 * @since 0.1
 */
public final class ChunkResult<R> {

  private final Object[] values;
  private Throwable[] failures; // made on the first failure: most chunks have none
  private long executionNanos = -1;

  /**
   * Creates a result with room for {@code size} items, none set.
   *
   * @param size the chunk's size, at least 1
   */
  public ChunkResult(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1: size=" + size);
    }
    this.values = new Object[size];
  }

  /**
   * Records the value of item {@code i}.
   *
   * @param i the item's position in the chunk
   * @param value its result, possibly null
   * @return this
   */
  public ChunkResult<R> succeed(int i, Object value) {
    values[i] = value;
    if (failures != null) {
      failures[i] = null;
    }
    return this;
  }

  /**
   * Records the failure of item {@code i}.
   *
   * @param i the item's position in the chunk
   * @param failure what the task threw, or a {@code TaskFailedException} subclass
   * @return this
   */
  public ChunkResult<R> fail(int i, Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    if (failures == null) {
      failures = new Throwable[values.length];
    }
    failures[i] = failure;
    values[i] = null;
    return this;
  }

  /**
   * Records how long the chunk's items took to run, excluding transport.
   *
   * @param nanos the run time
   * @return this
   */
  public ChunkResult<R> executionNanos(long nanos) {
    this.executionNanos = nanos;
    return this;
  }

  /** {@return the run time reported by the backend, or -1 if it did not report one} */
  public long executionNanos() {
    return executionNanos;
  }

  /** {@return the number of items} */
  public int size() {
    return values.length;
  }

  /**
   * Returns the position of the first failed item: a constant-time answer for the usual chunk, in
   * which no item failed.
   *
   * @return the first failed item's position in the chunk, or -1 if none failed
   */
  public int firstFailure() {
    if (failures != null) {
      for (int i = 0; i < failures.length; i++) {
        if (failures[i] != null) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Returns whether item {@code i} failed.
   *
   * @param i the item's position in the chunk
   * @return whether it failed
   */
  public boolean failed(int i) {
    Objects.checkIndex(i, values.length);
    return failures != null && failures[i] != null;
  }

  /**
   * Returns item {@code i}'s failure.
   *
   * @param i the item's position
   * @return item {@code i}'s failure, or null if it succeeded
   */
  public Throwable failure(int i) {
    Objects.checkIndex(i, values.length);
    return failures == null ? null : failures[i];
  }

  /**
   * Returns item {@code i}'s value.
   *
   * @param i the item's position
   * @return item {@code i}'s value (null if it failed)
   */
  @SuppressWarnings("unchecked")
  public R value(int i) {
    return (R) values[i];
  }
}
