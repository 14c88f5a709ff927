package io.github.multiproc;

/**
 * Told how far a {@code map}, {@code imap} or {@code imapUnordered} call has come.
 *
 * {@snippet :
 * MapOptions options = MapOptions.builder()
 *     .progressListener((done, total) -> log.info("{}/{}", done, total))
 *     .build();
 * }
 *
 * <p><b>Threading.</b> Called from a pool thread as chunks of items complete, never concurrently
 * for the same call (calls are serialized), with {@code completed} strictly increasing. It must
 * return quickly and must not throw; an exception it throws is logged and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProgressListener {

  /** The total passed when the number of inputs is not known in advance. */
  long UNKNOWN_TOTAL = -1;

  /**
   * Reports progress.
   *
   * @param completed items finished so far (successfully or not)
   * @param total the number of inputs if known up front (the inputs are a {@link java.util.Collection}),
   *     else {@link #UNKNOWN_TOTAL}
   */
  void onProgress(long completed, long total);
}
