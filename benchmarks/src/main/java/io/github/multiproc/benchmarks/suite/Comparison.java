package io.github.multiproc.benchmarks.suite;

import java.util.Arrays;
import java.util.Objects;

/**
 * One scenario measured on our side and on the peer's (Python's {@code multiprocessing}) in the
 * same run: every repetition's value on both sides, and the medians and ratio derived from them.
 *
 * @param scenario what was measured, e.g. "Pipe round trip, 64 B"
 * @param unit the unit of the values, e.g. "µs" or "items/s"
 * @param better whether a higher or a lower value is better
 * @param ours our values, one per repetition
 * @param peer the peer's values, one per repetition
 * @param peerName what the peer is, e.g. "multiprocessing.Pipe"
 */
public record Comparison(String scenario, String unit, Better better, double[] ours, double[] peer,
    String peerName) {

  /** Which direction is better. */
  public enum Better {
    /** Throughput and speed-ups. */
    HIGHER,
    /** Latencies and times. */
    LOWER
  }

  public Comparison {
    Objects.requireNonNull(scenario, "scenario");
    if (ours.length == 0 || peer.length == 0) {
      throw new IllegalArgumentException("each side needs at least one value: " + scenario);
    }
    ours = ours.clone();
    peer = peer.clone();
  }

  /** {@return the median of our values} */
  public double oursMedian() {
    return median(ours);
  }

  /** {@return the median of the peer's values} */
  public double peerMedian() {
    return median(peer);
  }

  /** {@return how many times better we are than the peer (above 1: we win), from the medians} */
  public double advantage() {
    return better == Better.HIGHER ? oursMedian() / peerMedian() : peerMedian() / oursMedian();
  }

  /**
   * {@return the median of the values}
   *
   * @param values at least one
   */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
