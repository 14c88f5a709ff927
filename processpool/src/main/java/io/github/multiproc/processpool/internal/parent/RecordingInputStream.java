package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.ProtocolException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The parent's view of the bytes a worker writes on its protocol pipe, for diagnosis: it keeps
 * the first bytes (what a worker wrote instead of a valid HELLO) and the last ones (what broke a
 * frame), and tracks an unfinished frame: how many of its bytes arrived and when the first did, so
 * the watchdog can tell a truncated frame from a quiet worker, and a large frame still crossing
 * the pipe from either.
 *
 * <p>Thread safety: read by the worker's reader thread only; the counters are volatile so the
 * watchdog may read them from another thread.
 */
final class RecordingInputStream extends java.io.FilterInputStream {
  private static final int LAST = 64;
  private final byte[] first;
  private int recorded; // reader thread only; read for diagnostics after a failure
  private final byte[] last = new byte[LAST]; // ring of the last bytes read
  private volatile long total; // written by the reader thread only
  private volatile long frameStart = -1; // total when the reader began the current frame, -1 between frames
  private volatile long frameFirstByteNanos; // when the current frame's first byte arrived

  void frameStarts() {
    frameStart = total;
  }

  void frameEnded() {
    frameStart = -1;
  }

  /** @return how long the current frame has been unfinished since its first byte, or 0 between frames */
  long unfinishedFrameNanos(long now) {
    long start = frameStart;
    return start >= 0 && total > start ? Math.max(0, now - frameFirstByteNanos) : 0;
  }

  /**
   * @return the rate, in bytes per second, at which the current unfinished frame has arrived
   *     since its first byte, or 0 between frames
   */
  double unfinishedFrameBytesPerSecond(long now) {
    long start = frameStart;
    long bytes = start < 0 ? 0 : total - start;
    return bytes <= 0 ? 0 : bytes * 1e9 / Math.max(1, now - frameFirstByteNanos);
  }

  long unfinishedFrameBytes() {
    long start = frameStart;
    return start < 0 ? 0 : total - start;
  }

  RecordingInputStream(InputStream in, int keep) {
    super(in);
    this.first = new byte[keep];
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      if (recorded < first.length) {
        first[recorded++] = (byte) b;
      }
      last[(int) (total % LAST)] = (byte) b;
      if (total == frameStart) {
        frameFirstByteNanos = System.nanoTime();
      }
      total = total + 1;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0 && recorded < first.length) {
      int k = Math.min(n, first.length - recorded);
      System.arraycopy(b, off, first, recorded, k);
      recorded += k;
    }
    long t = total + Math.max(0, n - LAST);
    for (int i = Math.max(0, n - LAST); i < n; i++) {
      last[(int) (t++ % LAST)] = b[off + i];
    }
    if (n > 0) {
      if (total == frameStart) {
        frameFirstByteNanos = System.nanoTime();
      }
      total = total + n;
    }
    return n;
  }

  /** @return the last bytes read (up to 64), oldest first, as a dump */
  String lastBytes() {
    int n = (int) Math.min(total, LAST);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = last[(int) ((total - n + i) % LAST)];
    }
    return ProtocolException.dump(out, 0, n);
  }

  String describe() {
    return ProtocolException.dump(first, 0, recorded);
  }
}
