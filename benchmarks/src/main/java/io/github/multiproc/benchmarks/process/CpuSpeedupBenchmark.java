package io.github.multiproc.benchmarks.process;

import io.github.multiproc.benchmarks.suite.Comparison;
import io.github.multiproc.benchmarks.suite.BenchSuite;
import io.github.multiproc.MapOptions;
import io.github.multiproc.processpool.ProcessPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * CPU-bound speedup of a fixed workload on N worker JVMs against the same work run serially in
 * this JVM. The workload: count the primes below 200,000 by trial division, 24 times (each task
 * about 20-40 ms). Both sides run warm (a warm-up round first); serial and pool runs are
 * interleaved, so that a change of machine load hits both; medians of several runs.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... \
 *     io.github.multiproc.benchmarks.process.CpuSpeedupBenchmark [workers] [runs]
 * </pre>
 */
public final class CpuSpeedupBenchmark {

  private static final int TASKS = 24;
  private static final int LIMIT = 200_000;

  private CpuSpeedupBenchmark() {}

  static long primesBelow(int limit) {
    long count = 0;
    for (int n = 2; n < limit; n++) {
      boolean prime = true;
      for (int d = 2; (long) d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        count++;
      }
    }
    return count;
  }

  /**
   * Runs the comparison.
   *
   * @param args workers (2), runs (5)
   */
  public static void main(String[] args) {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Integer> inputs = IntStream.range(0, TASKS).map(i -> LIMIT).boxed().toList();
    double[] serial = new double[runs];
    double[] parallel = new double[runs];
    double[] ratio = new double[runs];
    try (ProcessPool pool = ProcessPool.create(workers)) {
      MapOptions one = MapOptions.builder().chunkSize(1).build();
      for (int r = -1; r < runs; r++) { // r = -1: warm-up; serial and pool runs interleaved (machine load varies)
        long t0 = System.nanoTime();
        List<Long> out = new ArrayList<>();
        for (int x : inputs) {
          out.add(primesBelow(x));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        List<Long> got = pool.map(CpuSpeedupBenchmark::primesBelow, inputs, one);
        double p = (System.nanoTime() - t0) / 1e9;
        if (got.size() != TASKS || got.getFirst() != 17_984 || !got.equals(out)) {
          throw new IllegalStateException("wrong result: " + got.getFirst());
        }
        if (r >= 0) {
          serial[r] = s;
          parallel[r] = p;
          ratio[r] = s / p;
        }
      }
    }
    double s = Comparison.median(serial);
    double p = Comparison.median(parallel);
    System.out.printf(Locale.ROOT, "serial median_s=%.4f%nprocesspool(%d) median_s=%.4f%nspeedup=%.2fx "
        + "(median of per-pair ratios %.2fx; load average %s)%n", s, workers, p, s / p, Comparison.median(ratio),
        BenchSuite.Machine.loadAverage());
  }

}
