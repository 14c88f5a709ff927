package io.github.multiproc.examples;

import io.github.multiproc.Pool;
import io.github.multiproc.Task;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.VirtualThreadPool;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Work that mostly waits (the seed's "API calls, database operations, network requests"): 200
 * calls that each wait 50 ms. Two platform threads take them two at a time; virtual threads wait
 * for all of them at once.
 */
public final class VirtualThreadsForWaiting {

  static final int CALLS = 200;
  static final Duration LATENCY = Duration.ofMillis(50);

  private VirtualThreadsForWaiting() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run();
  }

  /** Stands in for a remote call: waits, then answers. */
  static final Task<Integer, Integer> REMOTE_CALL = x -> {
    Thread.sleep(LATENCY);
    return x;
  };

  static void run() {
    List<Integer> inputs = IntStream.range(0, CALLS).boxed().toList();
    try (Pool threads = ThreadPool.create(2); Pool virtual = VirtualThreadPool.create()) {
      double platform = CpuBoundSpeedup.time(null, () -> threads.map(REMOTE_CALL, inputs));
      double virt = CpuBoundSpeedup.time(null, () -> virtual.map(REMOTE_CALL, inputs));
      System.out.printf("  %d calls of %d ms: ThreadPool(2) %.2f s, VirtualThreadPool %.3f s (%.0fx)%n",
          CALLS, LATENCY.toMillis(), platform, virt, platform / virt);
    }
  }
}
