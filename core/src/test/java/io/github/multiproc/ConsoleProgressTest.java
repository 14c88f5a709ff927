package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private ConsoleProgress listener(boolean terminal) {
    return ConsoleProgress.builder("squares").out(out).terminal(terminal).clock(now::get).build();
  }

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void shouldWritePlainLinesEveryIntervalAndASummaryWhenNotATerminal() {
    ConsoleProgress p = listener(false);
    advance(Duration.ofSeconds(1));
    p.onProgress(100, 1000);
    assertThat(written()).isEmpty(); // the first line waits for the interval
    advance(Duration.ofSeconds(4));
    p.onProgress(500, 1000);
    advance(Duration.ofSeconds(1));
    p.onProgress(600, 1000); // within the interval of the last line: nothing
    advance(Duration.ofSeconds(4));
    p.onProgress(1000, 1000);
    p.close(); // already finished: nothing more

    assertThat(written()).doesNotContain("\r").doesNotContain("\u001b");
    List<String> lines = written().lines().toList();
    assertThat(lines).containsExactly(
        "squares: 500/1,000 (50%), 100/s, ETA 5s",
        "squares: 1,000/1,000 (100%) in 10.0 s, 100/s");
  }

  @Test
  void shouldRedrawOneBarLineWithRateAndEtaOnATerminal() {
    ConsoleProgress p = listener(true);
    advance(Duration.ofSeconds(2));
    p.onProgress(250, 1000);
    advance(Duration.ofMillis(50));
    p.onProgress(260, 1000); // within the redraw period: not drawn
    advance(Duration.ofMillis(1950));
    p.onProgress(500, 1000);
    advance(Duration.ofSeconds(4));
    p.onProgress(1000, 1000);

    String w = written();
    assertThat(w).startsWith("\rsquares  [#######.......................]  25%  250/1,000  125/s  ETA 6s");
    assertThat(w).doesNotContain("260/1,000");
    assertThat(w).contains("\rsquares  [###############...............]  50%  500/1,000  125/s  ETA 4s");
    assertEndsWithErasedLine(w, "squares  1,000/1,000 (100%) in 8.0 s, 125/s");
    assertThat(w.chars().filter(c -> c == '\n')).hasSize(1); // one line, redrawn in place
  }

  /** The last redraw is {@code text}, padded with blanks over the longer line before it, then a line end. */
  private static void assertEndsWithErasedLine(String written, String text) {
    assertThat(written).endsWith(System.lineSeparator());
    String[] draws = written.substring(0, written.length() - System.lineSeparator().length()).split("\r");
    String last = draws[draws.length - 1];
    assertThat(last.stripTrailing()).isEqualTo(text);
    assertThat(last).hasSize(Math.max(text.length(), draws[draws.length - 2].length()));
  }

  @Test
  void shouldSummarizeAnInputOfUnknownSizeOnClose() {
    ConsoleProgress p = listener(false);
    advance(Duration.ofSeconds(6));
    p.onProgress(30, ProgressListener.UNKNOWN_TOTAL);
    advance(Duration.ofSeconds(6));
    p.onProgress(60, ProgressListener.UNKNOWN_TOTAL);
    p.close();
    p.close(); // idempotent
    p.onProgress(70, ProgressListener.UNKNOWN_TOTAL); // after close: ignored

    assertThat(written().lines().toList()).containsExactly(
        "squares: 30 done, 5.0/s",
        "squares: 60 done, 5.0/s",
        "squares: 60 done in 12.0 s, 5.0/s");
  }

  @Test
  void shouldEndTheTerminalLineWhenClosedBeforeTheTotal() {
    ConsoleProgress p = listener(true);
    advance(Duration.ofSeconds(1));
    p.onProgress(10, 100);
    p.close(); // the call failed part way

    assertEndsWithErasedLine(written(), "squares  10/100 (10%) in 1.0 s, 10/s");
  }

  @Test
  void shouldReportThroughAPoolUpToTheTotal() {
    try (Pool pool = ThreadPool.create(2); ConsoleProgress p = listener(false)) {
      pool.map(x -> x, java.util.stream.IntStream.range(0, 50).boxed().toList(),
          MapOptions.builder().chunkSize(5).progressListener(p).build());
      assertThat(written().lines().toList()).last().asString().startsWith("squares: 50/50 (100%) in ");
    }
  }

  @Test
  void shouldFormatTimeLeft() {
    assertThat(ConsoleProgress.eta(42)).isEqualTo("42s");
    assertThat(ConsoleProgress.eta(185)).isEqualTo("3m05s");
    assertThat(ConsoleProgress.eta(7620)).isEqualTo("2h07m");
  }

  @Test
  void shouldRefuseANonPositiveInterval() {
    assertThatThrownBy(() -> ConsoleProgress.builder("x").interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval=PT0S");
  }
}
