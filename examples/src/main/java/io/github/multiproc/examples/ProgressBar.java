package io.github.multiproc.examples;

import io.github.multiproc.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line text progress bar for the terminal, usable as a {@link ProgressListener}.
 *
 * {@snippet :
 * pool.map(task, inputs, MapOptions.builder().progressListener(new ProgressBar("squares", System.out)).build());
 * }
 *
 * <p>Thread-safe: the pool serializes calls to a listener; {@link #done()} is called by the
 * caller after the call returns.
 */
public final class ProgressBar implements ProgressListener {

  private static final int WIDTH = 30;

  private final String label;
  private final PrintStream out;
  private int lastDrawn = -1;

  /**
   * Creates a bar that draws on {@code out}.
   *
   * @param label what is being done
   * @param out where to draw
   */
  public ProgressBar(String label, PrintStream out) {
    this.label = label;
    this.out = out;
  }

  @Override
  public synchronized void onProgress(long completed, long total) {
    if (total <= 0) {
      out.printf("\r  %-14s %,d done", label, completed);
      return;
    }
    int filled = (int) (WIDTH * completed / total);
    if (filled == lastDrawn && completed != total) {
      return;
    }
    lastDrawn = filled;
    out.printf("\r  %-14s [%s%s] %3d%%", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
        100 * completed / total);
    out.flush();
  }

  /** Ends the line. */
  public synchronized void done() {
    out.println();
  }
}
