package io.github.multiproc.benchmarks.process;


/** Small helpers shared by the process-pool harnesses. */
final class Medians {

  private Medians() {}


  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
