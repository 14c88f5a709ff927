package io.github.multiproc.examples;

import io.github.multiproc.ConsoleProgress;
import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.Task;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.processpool.ProcessPool;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The seed's CPU-bound task ({@code for i in range(N): total += i}) run serially and on a
 * {@link ThreadPool} and on a {@link ProcessPool}, with timings. Java threads run bytecode in parallel — there is no global
 * interpreter lock — so threads alone give the speed-up that Python needs processes for.
 */
public final class CpuBoundSpeedup {

  /** How many times each job adds: enough for ~0.1 s of work per job. */
  static final long ITERATIONS = 150_000_000L;
  static final int JOBS = 8;

  private CpuBoundSpeedup() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run(2);
  }

  /**
   * The seed's cpu_task, kept from being folded away by the JIT: a mixing step per addition.
   *
   * @param iterations how many additions
   * @return the total
   */
  static long cpuTask(long iterations) {
    long total = 0;
    for (long i = 0; i < iterations; i++) {
      total += i ^ (total >>> 7);
    }
    return total;
  }

  static final Task<Long, Long> CPU_TASK = CpuBoundSpeedup::cpuTask;

  static void run(int workers) {
    List<Long> inputs = Collections.nCopies(JOBS, ITERATIONS);
    cpuTask(ITERATIONS / 10); // warm the JIT before timing anything
    double serial = time("serial", () -> inputs.stream().map(CpuBoundSpeedup::cpuTask).toList());
    double threads;
    try (Pool pool = ThreadPool.create(workers); ConsoleProgress bar = progress("ThreadPool(" + workers + ")")) {
      threads = time(null, () -> pool.map(CPU_TASK, inputs, MapOptions.builder().chunkSize(1).progressListener(bar).build()));
    }
    report("ThreadPool(" + workers + ")", threads);
    double processes;
    try (Pool pool = ProcessPool.create(workers); ConsoleProgress bar = progress("ProcessPool(" + workers + ")")) {
      processes = time(null, () -> pool.map(CPU_TASK, inputs, MapOptions.builder().chunkSize(1).progressListener(bar).build()));
    }
    report("ProcessPool(" + workers + ")", processes);
    System.out.printf("  speed-up on %d cores: threads %.2fx, processes %.2fx. Python's threads would show ~1.0x%n",
        Runtime.getRuntime().availableProcessors(), serial / threads, serial / processes);
    System.out.println("  under the GIL; Java threads use every core without processes (which add JVM start-up and copying).");
  }

  /**
   * The library's console progress listener, on the tour's stream: a bar redrawn in place on a
   * terminal, a plain line every few seconds in a log.
   */
  static ConsoleProgress progress(String label) {
    return ConsoleProgress.builder("  " + label).out(System.out).interval(Duration.ofSeconds(2)).build();
  }

  static double time(String label, Supplier<?> work) {
    long start = System.nanoTime();
    work.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (label != null) {
      report(label, seconds);
    }
    return seconds;
  }

  static void report(String label, double seconds) {
    System.out.printf("  %-16s %d jobs x %,d iterations: %.3f s%n", label, JOBS, ITERATIONS, seconds);
  }
}
