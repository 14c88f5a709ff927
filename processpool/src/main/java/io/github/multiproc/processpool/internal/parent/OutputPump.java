package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Forwards one output stream of a worker (its stdout or stderr) line by line until it ends,
 * which happens when the process exited. Stateless; runs on the calling thread.
 */
final class OutputPump {

  private OutputPump() {}

  /**
   * Reads {@code stream} to its end, handing each line to {@code sink}.
   *
   * @param stream the stream; closed at the end
   * @param sink takes each line, without its line break
   */
  static void run(InputStream stream, Consumer<String> sink) {
    LineSplitter lines = new LineSplitter(sink);
    byte[] buf = new byte[8192];
    try (InputStream in = stream) {
      int n;
      while ((n = in.read(buf)) > 0) {
        lines.feed(buf, 0, n);
      }
    } catch (IOException e) {
      // the process is gone
    }
    lines.finish();
  }
}
