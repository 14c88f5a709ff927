package io.github.multiproc.processpool.internal.parent;

import java.util.ArrayDeque;

/**
 * The last lines a worker wrote to stderr, kept to explain a failed start or a death.
 *
 * <p>Thread-safe: guarded by this object's monitor.
 */
final class StderrTail {

  static final int MAX_LINES = 30;
  private static final int MAX_LINE_CHARS = 500;

  private final ArrayDeque<String> lines = new ArrayDeque<>(); // guarded by this

  synchronized void add(String line) {
    if (lines.size() == MAX_LINES) {
      lines.removeFirst();
    }
    lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
  }

  /** @return the kept lines joined by newlines, possibly empty */
  synchronized String text() {
    return String.join("\n", lines);
  }
}
