package io.github.multiproc.processpool.internal.parent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream that arrives in arbitrary pieces into lines ({@code \n} or {@code \r\n}).
 *
 * <p>Not thread-safe: fed by one thread.
 */
final class LineSplitter {

  private static final int MAX_LINE_BYTES = 64 * 1024;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> sink;

  LineSplitter(Consumer<String> sink) {
    this.sink = sink;
  }

  void feed(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        emit();
      } else {
        line.write(b[i]);
        if (line.size() >= MAX_LINE_BYTES) {
          emit();
        }
      }
    }
  }

  /** Emits what is left without a newline. */
  void finish() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    sink.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
  }
}
