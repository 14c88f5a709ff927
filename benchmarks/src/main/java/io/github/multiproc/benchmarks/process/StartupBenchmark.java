package io.github.multiproc.benchmarks.process;

import io.github.multiproc.benchmarks.suite.Comparison;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.ToolProvider;

/**
 * Start-up: time from {@code ProcessPool.create(n)} to the first result, and the time of a
 * one-worker pool (per-worker start), against a plain {@code java -cp . Hello} on the same JDK.
 * Medians of several interleaved runs; each pool is closed between runs. The AOT cache (trained
 * by the first pool in the background) is only used when the class path is all jars.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... \
 *     io.github.multiproc.benchmarks.process.StartupBenchmark [runs]
 * </pre>
 */
public final class StartupBenchmark {

  private StartupBenchmark() {}

  /** User + system CPU of a live process, from {@code /proc/<pid>/stat} (Linux; -1 elsewhere). */
  static double cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // clock ticks of 10 ms (USER_HZ 100)
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Runs the measurements.
   *
   * @param args runs (7)
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path dir = Files.createTempDirectory("multiproc-hello");
    try {
      Files.writeString(dir.resolve("Hello.java"),
          "public class Hello { public static void main(String[] a) { System.out.println(\"Hello\"); } }");
      if (ToolProvider.getSystemJavaCompiler().run(null, null, null, dir.resolve("Hello.java").toString()) != 0) {
        throw new IllegalStateException("cannot compile Hello.java");
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      double[] hello = new double[runs];
      double[] first2 = new double[runs];
      double[] one = new double[runs];
      double[] oneCpu = new double[runs];
      double[] oneNoAot = new double[runs];
      for (int r = -1; r < runs; r++) { // interleaved, so that a change of machine load hits every figure alike
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(List.of(java, "-cp", dir.toString(), "Hello")).directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        double helloMs = Medians.ms(System.nanoTime() - t0);
        t0 = System.nanoTime();
        double first2Ms;
        try (ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).build()) {
          pool.map(x -> x + 1, List.of(1));
          first2Ms = Medians.ms(System.nanoTime() - t0);
        }
        t0 = System.nanoTime();
        double oneMs;
        double cpuMs;
        try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
          oneMs = Medians.ms(System.nanoTime() - t0);
          cpuMs = cpuMillis(pool.workerPids().iterator().next());
        }
        t0 = System.nanoTime();
        double noAotMs;
        ProcessPool noAot = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD).build();
        noAotMs = Medians.ms(System.nanoTime() - t0);
        noAot.close();
        if (r >= 0) {
          hello[r] = helloMs;
          first2[r] = first2Ms;
          one[r] = oneMs;
          oneCpu[r] = cpuMs;
          oneNoAot[r] = noAotMs;
        }
      }
      double h = Comparison.median(hello);
      System.out.printf(Locale.ROOT, "java_hello median_ms=%.1f%n", h);
      System.out.printf(Locale.ROOT, "processpool_create2_to_first_result median_ms=%.1f (%.2fx hello)%n",
          Comparison.median(first2), Comparison.median(first2) / h);
      System.out.printf(Locale.ROOT, "processpool_one_worker_ready median_ms=%.1f (%.2fx hello); worker cpu when "
          + "ready median_ms=%.0f (10 ms ticks, includes its after-HELLO work so far)%n",
          Comparison.median(one), Comparison.median(one) / h, Comparison.median(oneCpu));
      System.out.printf(Locale.ROOT, "processpool_one_worker_ready_no_aot_cache median_ms=%.1f (%.2fx hello)%n",
          Comparison.median(oneNoAot), Comparison.median(oneNoAot) / h);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }
}
