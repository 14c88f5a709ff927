package io.github.multiproc.benchmarks.process;

import io.github.multiproc.benchmarks.suite.Comparison;

/** Small helpers shared by the process-pool harnesses. */
final class Medians {

  private Medians() {}

  static double median(double[] values) {
    return Comparison.median(values);
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
