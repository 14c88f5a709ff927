package io.github.multiproc.internal;

import io.github.multiproc.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells one call's {@link ProgressListener} how many items completed, serially and with strictly
 * increasing counts, whatever thread completes a chunk. A listener that throws is logged and
 * otherwise ignored.
 */
final class ProgressReporter {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
  }

  private final ProgressListener listener;
  private final long total;
  private long completed; // guarded by this

  ProgressReporter(ProgressListener listener, long total) {
    this.listener = listener;
    this.total = total;
  }

  synchronized void completed(int items) {
    completed += items;
    try {
      listener.onProgress(completed, total);
    } catch (RuntimeException e) {
      Log.LOG.warn("progress listener {} threw; ignored", listener, e);
    }
  }
}
