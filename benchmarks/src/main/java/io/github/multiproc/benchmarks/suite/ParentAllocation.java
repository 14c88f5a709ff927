package io.github.multiproc.benchmarks.suite;

import com.sun.management.ThreadMXBean;
import io.github.multiproc.processpool.ProcessPool;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What one {@code map(x -> x * x)} over 100,000 integers allocates in the parent JVM: the bytes
 * all its threads allocated ({@link ThreadMXBean#getTotalThreadAllocatedBytes()}) over
 * {@code timed} maps, after {@code warmUp} maps, divided by {@code timed}. On a machine where the
 * first touch of a page is expensive, a fresh JVM pays for every megabyte it allocates into
 * young-generation memory it has not used yet, so this figure is start-up time
 * ({@code docs/performance-log.md}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.multiproc.benchmarks.suite.ParentAllocation [warmUp timed]
 * </pre>
 *
 * <p>Prints {@code parent_allocated_per_map_mb=..}.
 */
public final class ParentAllocation {

  private ParentAllocation() {}

  /**
   * Runs the measurement.
   *
   * @param args warm-up maps (default 40), timed maps (default 20)
   * @throws Exception if the pool fails
   */
  public static void main(String[] args) throws Exception {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Integer> inputs = IntStream.range(0, 100_000).boxed().toList();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (ProcessPool pool = ProcessPool.create(2)) {
      for (int m = 0; m < warmUp; m++) {
        pool.map(x -> x * x, inputs);
      }
      long before = threads.getTotalThreadAllocatedBytes();
      for (int m = 0; m < timed; m++) {
        pool.map(x -> x * x, inputs);
      }
      long after = threads.getTotalThreadAllocatedBytes();
      System.out.println(String.format(Locale.ROOT, "parent_allocated_per_map_mb=%.2f", (after - before) / 1e6 / timed));
    }
  }
}
