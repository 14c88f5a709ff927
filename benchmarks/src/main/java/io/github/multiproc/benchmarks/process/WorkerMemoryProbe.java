package io.github.multiproc.benchmarks.process;

import io.github.multiproc.Task;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which measure of a worker's memory tells a leak: its resident set size (RSS, read by the parent
 * from {@code /proc}) or its heap used after a full collection (read inside the worker)? Runs three
 * workloads on a one-worker pool, ten items each, and logs both measures after every item: a heap
 * leak (8 MiB kept per item), a native leak (an 8 MiB direct buffer kept per item, as a leaky
 * native library would) and a transient spike (128 MiB allocated, touched and dropped: no leak).
 * The decision it informed is in {@code docs/architecture.md} ("Memory-aware recycling").
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.multiproc.benchmarks.process.WorkerMemoryProbe}
 */
public final class WorkerMemoryProbe {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerMemoryProbe.class);

  private WorkerMemoryProbe() {}

  /** What the leaking workloads keep, in the worker. */
  static final class Kept {
    static final List<Object> ALL = new ArrayList<>();

    private Kept() {}
  }

  static final Task<Integer, Integer> HEAP_LEAK = i -> {
    byte[] b = new byte[8 << 20];
    for (int k = 0; k < b.length; k += 4096) {
      b[k] = 1;
    }
    Kept.ALL.add(b);
    return i;
  };

  static final Task<Integer, Integer> NATIVE_LEAK = i -> {
    ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
    for (int k = 0; k < b.capacity(); k += 4096) {
      b.put(k, (byte) 1);
    }
    Kept.ALL.add(b);
    return i;
  };

  static final Task<Integer, Integer> SPIKE = i -> {
    byte[] b = new byte[128 << 20];
    for (int k = 0; k < b.length; k += 4096) {
      b[k] = 1;
    }
    return b[4096] + i;
  };

  static final Task<Integer, Long> HEAP_AFTER_GC = i -> {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  };

  /**
   * Runs the probe.
   *
   * @param args ignored
   * @throws IOException if /proc cannot be read
   */
  public static void main(String[] args) throws IOException {
    for (var workload : List.of(List.of("heap leak", HEAP_LEAK), List.of("native leak", NATIVE_LEAK),
        List.of("transient spike", SPIKE))) {
      @SuppressWarnings("unchecked")
      Task<Integer, Integer> task = (Task<Integer, Integer>) workload.get(1);
      try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
        long pid = pool.workerPids().getFirst();
        StringBuilder rss = new StringBuilder();
        StringBuilder heap = new StringBuilder();
        for (int i = 0; i < 10; i++) {
          pool.map(task, List.of(i));
          rss.append(' ').append(rssMib(pid));
          heap.append(' ').append(pool.map(HEAP_AFTER_GC, List.of(0)).getFirst() >> 20);
        }
        LOG.info("{}: RSS MiB after each item:{}", workload.getFirst(), rss);
        LOG.info("{}: heap used after GC MiB:    {}", workload.getFirst(), heap);
      }
    }
  }

  private static long rssMib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) >> 10;
      }
    }
    return -1;
  }
}
