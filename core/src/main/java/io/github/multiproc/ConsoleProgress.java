package io.github.multiproc;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link ProgressListener} that shows a call's progress on a console: a redrawn bar with the
 * rate and the time left when the output is a terminal, and a plain line every few seconds when
 * it is not (a log file or a pipe gets no carriage returns and no escape codes).
 *
 * {@snippet :
 * try (ConsoleProgress bar = ConsoleProgress.of("squares")) {        // draws on System.err
 *   pool.map(task, inputs, MapOptions.builder().progressListener(bar).build());
 * }
 * }
 *
 * <p>On a terminal it redraws one line at most ten times a second:
 * <pre>
 * squares  [############..................]  40%  4,000/10,000  1,250/s  ETA 5s
 * </pre>
 * elsewhere it prints a line every {@link Builder#interval interval} (default 5 s) and one at the
 * end:
 * <pre>
 * squares: 4,000/10,000 (40%), 1,250/s, ETA 5s
 * squares: 10,000/10,000 (100%) in 8.0 s, 1,250/s
 * </pre>
 * The last line is written when the count reaches the total, or by {@link #close()} (for inputs of
 * unknown size, or a call that failed part way), whichever comes first; {@code close} is
 * idempotent.
 *
 * <p>This is the only class of the library that writes to a console, and it writes only to the
 * stream it is given ({@link System#err} by default, so that a program's own output on
 * {@code System.out} stays clean). Whether the stream is a terminal is decided once, when the
 * listener is built: by default, when the JVM has a {@link Console} that
 * {@linkplain Console#isTerminal() is a terminal}; {@link Builder#terminal(boolean)} overrides it.
 *
 * <p><b>Thread safety.</b> Thread-safe: reports from the pool (one at a time per call) and
 * {@code close} from the caller are serialized by this object's monitor, which also makes each
 * report's state visible to the next. One instance serves one call at a time.
 *
 * @since 0.1
 */
public final class ConsoleProgress implements ProgressListener, AutoCloseable {

  /** How often a terminal line is redrawn at most. */
  static final Duration REDRAW = Duration.ofMillis(100);

  private static final int WIDTH = 30;

  private final String label;
  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final long startNanos;
  private long lastDrawNanos; // guarded by this
  private boolean drewOnce; // guarded by this
  private int lastWidth; // guarded by this: characters of the last terminal line, to erase
  private long completed; // guarded by this
  private long total = UNKNOWN_TOTAL; // guarded by this
  private boolean finished; // guarded by this

  private ConsoleProgress(Builder b) {
    this.label = b.label;
    this.out = b.out;
    this.terminal = b.terminal != null ? b.terminal : stdoutIsTerminal();
    this.intervalNanos = b.interval.toNanos();
    this.clock = b.clock;
    this.startNanos = clock.getAsLong();
  }

  /**
   * Returns a listener that draws on {@link System#err}, as a bar if this JVM runs on a
   * terminal, else as a line every 5 seconds.
   *
   * @param label what is being done, shown first on each line
   * @return the listener; close it after the call
   */
  public static ConsoleProgress of(String label) {
    return builder(label).build();
  }

  /**
   * Returns a builder, to choose the stream, the terminal mode or the interval.
   *
   * @param label what is being done, shown first on each line
   * @return the builder
   */
  public static Builder builder(String label) {
    return new Builder(label);
  }

  /** {@return whether this listener draws a bar (a terminal) rather than plain lines} */
  public boolean terminal() {
    return terminal;
  }

  @Override
  public synchronized void onProgress(long completed, long total) {
    if (finished) {
      return;
    }
    this.completed = completed;
    this.total = total;
    long now = clock.getAsLong();
    if (total >= 0 && completed >= total) {
      finish(now);
      return;
    }
    long every = terminal ? REDRAW.toNanos() : intervalNanos;
    if (drewOnce ? now - lastDrawNanos < every : !terminal && now - startNanos < every) {
      return;
    }
    lastDrawNanos = now;
    drewOnce = true;
    if (terminal) {
      draw(barLine(now));
    } else {
      out.println(plainLine(now));
      out.flush();
    }
  }

  /**
   * Writes the last line (what was reached, the elapsed time and the rate) unless it was written
   * when the count reached the total, and ends the terminal line. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (!finished) {
      finish(clock.getAsLong());
    }
  }

  private void finish(long now) {
    finished = true;
    String summary = summaryLine(now);
    if (terminal) {
      draw(summary);
      out.println();
    } else {
      out.println(summary);
    }
    out.flush();
  }

  /** Redraws the terminal line: back to its start, the text, blanks over what the last one left. */
  private void draw(String line) {
    int pad = Math.max(0, lastWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    lastWidth = line.length();
  }

  private String barLine(long now) {
    StringBuilder sb = new StringBuilder(label).append("  ");
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * completed / total);
      sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%%  %,d/%,d", percent(), completed, total));
    } else {
      sb.append(String.format(Locale.ROOT, "%,d done", completed));
    }
    appendRateAndEta(sb.append("  "), now, "  ");
    return sb.toString();
  }

  private String plainLine(long now) {
    StringBuilder sb = new StringBuilder(label).append(": ");
    if (total > 0) {
      sb.append(String.format(Locale.ROOT, "%,d/%,d (%d%%)", completed, total, percent()));
    } else {
      sb.append(String.format(Locale.ROOT, "%,d done", completed));
    }
    appendRateAndEta(sb.append(", "), now, ", ");
    return sb.toString();
  }

  private String summaryLine(long now) {
    Duration elapsed = Duration.ofNanos(Math.max(0, now - startNanos));
    String reached = total > 0 ? String.format(Locale.ROOT, "%,d/%,d (%d%%)", completed, total, percent())
        : String.format(Locale.ROOT, "%,d done", completed);
    String line = String.format(Locale.ROOT, "%s in %.1f s, %s", reached, elapsed.toNanos() / 1e9, rate(now));
    return terminal ? label + "  " + line : label + ": " + line;
  }

  private void appendRateAndEta(StringBuilder sb, long now, String separator) {
    sb.append(rate(now));
    double perSecond = perSecond(now);
    if (total > 0 && perSecond > 0) {
      sb.append(separator).append("ETA ").append(eta((long) Math.ceil((total - completed) / perSecond)));
    }
  }

  private int percent() {
    return (int) (100 * completed / total);
  }

  private double perSecond(long now) {
    long elapsed = now - startNanos;
    return elapsed <= 0 ? 0 : completed * 1e9 / elapsed;
  }

  private String rate(long now) {
    double r = perSecond(now);
    return r >= 10 || r == 0 ? String.format(Locale.ROOT, "%,.0f/s", r) : String.format(Locale.ROOT, "%.1f/s", r);
  }

  /** {@return seconds as {@code 42s}, {@code 3m05s} or {@code 2h07m}} */
  static String eta(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }

  private static boolean stdoutIsTerminal() {
    Console console = System.console();
    return console != null && console.isTerminal();
  }

  /** Builds a {@link ConsoleProgress}. Not thread-safe; setters check their arguments at once. */
  public static final class Builder {
    private final String label;
    private PrintStream out = System.err;
    private Boolean terminal; // null: ask the JVM
    private Duration interval = Duration.ofSeconds(5);
    private LongSupplier clock = System::nanoTime;

    private Builder(String label) {
      this.label = Objects.requireNonNull(label, "label");
    }

    /**
     * Sets the stream to write to.
     *
     * @param out the stream (default {@link System#err})
     * @return this builder
     */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * Says whether the stream is a terminal, instead of asking the JVM.
     *
     * @param terminal true for a redrawn bar, false for plain lines
     * @return this builder
     */
    public Builder terminal(boolean terminal) {
      this.terminal = terminal;
      return this;
    }

    /**
     * Sets how often a plain line is written when the stream is not a terminal.
     *
     * @param interval positive (default 5 s)
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive: interval=" + interval);
      }
      this.interval = interval;
      return this;
    }

    /** Sets the clock ({@link System#nanoTime()} by default); for tests. */
    Builder clock(LongSupplier nanoTime) {
      this.clock = Objects.requireNonNull(nanoTime, "clock");
      return this;
    }

    /** {@return the listener} */
    public ConsoleProgress build() {
      return new ConsoleProgress(this);
    }
  }
}
