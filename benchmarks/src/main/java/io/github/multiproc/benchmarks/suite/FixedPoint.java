package io.github.multiproc.benchmarks.suite;

/**
 * Writes a duration in nanoseconds as a decimal with a fixed number of places, by integer
 * arithmetic. The whole-program scenarios print their times with it instead of
 * {@link String#format}: a fresh JVM's first {@code String.format} loads the {@code Formatter} and
 * the locale data (~20–30 ms of CPU and ~1 MB of allocation), which is the JDK's cost and not the
 * pool's, while Python's f-strings cost its program nothing measurable.
 *
 * <pre>
 * FixedPoint.of(1_234_567, 1_000_000, 3)      // "1.235" (ms)
 * FixedPoint.of(42_000_000_000L, 1_000_000_000, 6) // "42.000000" (s)
 * </pre>
 *
 * <p>Rounds half up, as {@code %.nf} does for these non-negative values. Stateless and thread-safe.
 */
final class FixedPoint {

  private FixedPoint() {}

  /**
   * Returns {@code nanos / unitNanos} with {@code places} decimals.
   *
   * @param nanos a duration, at least 0
   * @param unitNanos the unit in nanoseconds: 1,000,000 for ms, 1,000,000,000 for s
   * @param places decimals, 0 to 9, and {@code 10^places} at most {@code unitNanos}
   * @return the decimal, e.g. {@code "12.345"}
   */
  static String of(long nanos, long unitNanos, int places) {
    if (nanos < 0 || places < 0 || places > 9) {
      throw new IllegalArgumentException("nanos=" + nanos + " places=" + places);
    }
    long scale = 1;
    for (int i = 0; i < places; i++) {
      scale *= 10;
    }
    long step = unitNanos / scale;
    if (step == 0 || step * scale != unitNanos) {
      throw new IllegalArgumentException("unitNanos=" + unitNanos + " does not divide into " + places + " places");
    }
    long scaled = (nanos + step / 2) / step; // half up
    StringBuilder s = new StringBuilder().append(scaled / scale);
    if (places > 0) {
      String fraction = Long.toString(scaled % scale);
      s.append('.');
      for (int i = fraction.length(); i < places; i++) {
        s.append('0');
      }
      s.append(fraction);
    }
    return s.toString();
  }
}
