package io.github.multiproc.benchmarks.process;

import java.util.Arrays;

/** Small helpers shared by the process-pool harnesses. */
final class Medians {

  private Medians() {}

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
