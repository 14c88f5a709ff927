package io.github.multiproc.benchmarks.process;

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
 * Medians of several runs; each pool is closed between runs.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... \
 *     io.github.multiproc.benchmarks.process.StartupBenchmark [runs]
 * </pre>
 */
public final class StartupBenchmark {

  private StartupBenchmark() {}

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
      for (int r = -1; r < runs; r++) {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(List.of(java, "-cp", dir.toString(), "Hello")).directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        if (r >= 0) {
          hello[r] = Medians.ms(System.nanoTime() - t0);
        }
      }
      double[] first2 = new double[runs];
      double[] one = new double[runs];
      for (int r = -1; r < runs; r++) {
        long t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).build()) {
          pool.map(x -> x + 1, List.of(1));
          if (r >= 0) {
            first2[r] = Medians.ms(System.nanoTime() - t0);
          }
        }
        t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
          if (r >= 0) {
            one[r] = Medians.ms(System.nanoTime() - t0);
          }
        }
      }
      double h = Medians.median(hello);
      System.out.printf(Locale.ROOT, "java_hello median_ms=%.1f%n", h);
      System.out.printf(Locale.ROOT, "processpool_create2_to_first_result median_ms=%.1f (%.2fx hello)%n",
          Medians.median(first2), Medians.median(first2) / h);
      System.out.printf(Locale.ROOT, "processpool_one_worker_ready median_ms=%.1f (%.2fx hello)%n",
          Medians.median(one), Medians.median(one) / h);
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
