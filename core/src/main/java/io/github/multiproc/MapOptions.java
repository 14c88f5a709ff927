package io.github.multiproc;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-call options of {@link Pool#map(Task, Iterable, MapOptions) map}, {@code imap} and
 * {@code imapUnordered}: chunk size, per-task timeout, progress listener, and how many chunks may
 * be in flight at once.
 *
 * {@snippet :
 * MapOptions options = MapOptions.builder()
 *     .chunkSize(64)
 *     .taskTimeout(Duration.ofSeconds(5))
 *     .progressListener((done, total) -> bar.update(done, total))
 *     .build();
 * List<Result> results = pool.map(task, inputs, options);
 * }
 *
 * <p>Instances are immutable and thread-safe; one can serve any number of calls.
 *
 * <p><b>Chunking.</b> Inputs travel to workers in chunks, one chunk being the unit of dispatch.
 * With no chunk size set the pool chooses one: for inputs of known size (a
 * {@link java.util.Collection}) about {@code size / (4 * workers)}, like Python's
 * {@code Pool.map}; for inputs of unknown size it starts at 1 and adapts to the measured time per
 * item so that a chunk takes a few milliseconds. {@code imap}/{@code imapUnordered} never let a
 * chunk exceed {@value #MAX_AUTO_CHUNK_SIZE} items, so memory stays bounded for any input length.
 *
 * @since 0.1
 */
public final class MapOptions {

  /** The largest chunk size the pool chooses by itself for {@code imap}/{@code imapUnordered}. */
  public static final int MAX_AUTO_CHUNK_SIZE = 4096;

  private static final MapOptions DEFAULTS = builder().build();

  private final int chunkSize;
  private final Duration taskTimeout;
  private final ProgressListener progressListener;
  private final int maxChunksInFlight;

  private MapOptions(Builder b) {
    this.chunkSize = b.chunkSize;
    this.taskTimeout = b.taskTimeout;
    this.progressListener = b.progressListener;
    this.maxChunksInFlight = b.maxChunksInFlight;
  }

  /** {@return the options with nothing set: automatic chunking, no timeout, no listener} */
  public static MapOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder with nothing set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the chunk size, or 0 when the pool chooses it} */
  public int chunkSize() {
    return chunkSize;
  }

  /** {@return the per-task timeout, if one is set} */
  public Optional<Duration> taskTimeout() {
    return Optional.ofNullable(taskTimeout);
  }

  /** {@return the progress listener, if one is set} */
  public Optional<ProgressListener> progressListener() {
    return Optional.ofNullable(progressListener);
  }

  /** {@return the maximum number of chunks dispatched and not yet consumed, or 0 for the pool's default} */
  public int maxChunksInFlight() {
    return maxChunksInFlight;
  }

  /** {@return a builder holding these options, to change some of them} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.chunkSize = chunkSize;
    b.taskTimeout = taskTimeout;
    b.progressListener = progressListener;
    b.maxChunksInFlight = maxChunksInFlight;
    return b;
  }

  @Override
  public String toString() {
    return "MapOptions[chunkSize=" + (chunkSize == 0 ? "auto" : chunkSize)
        + ", taskTimeout=" + (taskTimeout == null ? "none" : taskTimeout)
        + ", progressListener=" + (progressListener == null ? "none" : "set")
        + ", maxChunksInFlight=" + (maxChunksInFlight == 0 ? "auto" : maxChunksInFlight) + "]";
  }

  /** Builds {@link MapOptions}. Not thread-safe; each setter checks its argument at once. */
  public static final class Builder {
    private int chunkSize;
    private Duration taskTimeout;
    private ProgressListener progressListener;
    private int maxChunksInFlight;

    private Builder() {}

    /**
     * Sets a fixed number of inputs per chunk.
     *
     * @param chunkSize at least 1
     * @return this builder
     */
    public Builder chunkSize(int chunkSize) {
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be >= 1: chunkSize=" + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Sets the time one input may take; past it the item fails with {@link TaskTimeoutException}
     * and its task is interrupted. Backends that cannot honour a timeout refuse the call with
     * {@link UnsupportedOperationException} rather than ignore it.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder taskTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("taskTimeout must be positive: taskTimeout=" + timeout);
      }
      this.taskTimeout = timeout;
      return this;
    }

    /**
     * Sets the listener told of progress.
     *
     * @param listener not null
     * @return this builder
     */
    public Builder progressListener(ProgressListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("progressListener must not be null");
      }
      this.progressListener = listener;
      return this;
    }

    /**
     * Bounds how many chunks may be dispatched and not yet consumed; this bounds memory for
     * {@code imap} over endless inputs. The default is twice the number of workers.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxChunksInFlight(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxChunksInFlight must be >= 1: maxChunksInFlight=" + max);
      }
      this.maxChunksInFlight = max;
      return this;
    }

    /** {@return the options} */
    public MapOptions build() {
      return new MapOptions(this);
    }
  }
}
