package io.github.multiproc.benchmarks.cluster;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.Pools;
import io.github.multiproc.Task;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * {@code ClusterPool.map} throughput with 1 and 3 local members against {@code ProcessPool} (or
 * {@code ThreadPool} when multiproc-processpool is not on the class path) on the same work, as
 * ratios, and the cost of one chunk (a round trip through Hazelcast's executor).
 *
 * <p>Selects every backend through {@link Pools#fromConfig(Map)}, so it compiles against core
 * only; at run time it needs multiproc-cluster (and multiproc-processpool) on the class path, and
 * it starts the members as {@code io.github.multiproc.cluster.ClusterMember} JVMs with the same
 * class path. Run it with the JVM options of {@code ClusterJvmArgs.HAZELCAST}:
 *
 * <pre>
 * java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
 *   --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *   --add-opens java.management/sun.management=ALL-UNNAMED \
 *   --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
 *   --sun-misc-unsafe-memory-access=allow -cp CLASSPATH \
 *   io.github.multiproc.benchmarks.cluster.ClusterThroughput
 * </pre>
 *
 * Prints one line per measurement; each is the median of 5 runs after 2 warm-up runs.
 */
public final class ClusterThroughput {

  private static final int WORKERS = 2;

  /** Tiny work: what chunk and transport costs look like. */
  static final Task<Integer, Long> TINY = x -> 31L * x + 7;

  /** About 100 µs of CPU per item: work that is worth sending away. */
  static final Task<Integer, Long> CPU_100US = x -> {
    long deadline = System.nanoTime() + 100_000;
    long acc = x;
    while (System.nanoTime() < deadline) {
      acc = acc * 6364136223846793005L + 1442695040888963407L;
    }
    return acc;
  };

  private ClusterThroughput() {}

  /**
   * Runs the comparison.
   *
   * @param args ignored
   * @throws Exception if a backend fails
   */
  public static void main(String[] args) throws Exception {
    List<Integer> tinyInputs = IntStream.range(0, 200_000).boxed().toList();
    List<Integer> cpuInputs = IntStream.range(0, 4_000).boxed().toList();
    List<Integer> perChunk = IntStream.range(0, 2_000).boxed().toList();
    MapOptions oneItemChunks = MapOptions.builder().chunkSize(1).build();

    Map<String, String> local = Map.of("multiproc.backend", "process", "multiproc.workers", Integer.toString(WORKERS));
    String baseline = "ProcessPool";
    Pool reference;
    try {
      reference = Pools.fromConfig(local);
    } catch (IllegalArgumentException e) {
      baseline = "ThreadPool";
      reference = Pools.fromConfig(Map.of("multiproc.backend", "thread", "multiproc.workers", Integer.toString(WORKERS)));
    }
    double refTiny;
    double refCpu;
    double refChunk;
    try (Pool pool = reference) {
      refTiny = itemsPerSecond(pool, TINY, tinyInputs, MapOptions.defaults());
      refCpu = itemsPerSecond(pool, CPU_100US, cpuInputs, MapOptions.defaults());
      refChunk = 1e6 / itemsPerSecond(pool, TINY, perChunk, oneItemChunks);
    }
    System.out.printf(Locale.ROOT, "%s(%d): tiny %.0f items/s, cpu-100us %.0f items/s, chunk of 1 %.1f us%n",
        baseline, WORKERS, refTiny, refCpu, refChunk);

    for (int members : new int[] {1, 3}) {
      try (Members m = Members.start(members)) {
        Map<String, String> config = Map.of("multiproc.backend", "cluster", "multiproc.workers",
            Integer.toString(WORKERS * members), "multiproc.cluster.mode", "client",
            "multiproc.cluster.name", m.clusterName, "multiproc.cluster.members", String.join(",", m.addresses));
        try (Pool pool = Pools.fromConfig(config)) {
          double tiny = itemsPerSecond(pool, TINY, tinyInputs, MapOptions.defaults());
          double cpu = itemsPerSecond(pool, CPU_100US, cpuInputs, MapOptions.defaults());
          double chunkMicros = 1e6 / itemsPerSecond(pool, TINY, perChunk, oneItemChunks);
          System.out.printf(Locale.ROOT,
              "ClusterPool(%d member(s), %d threads each): tiny %.0f items/s (%.2fx %s), cpu-100us %.0f items/s"
                  + " (%.2fx), chunk of 1 %.1f us (%.2fx)%n",
              members, WORKERS, tiny, tiny / refTiny, baseline, cpu, cpu / refCpu, chunkMicros, chunkMicros / refChunk);
        }
      }
    }
  }

  private static double itemsPerSecond(Pool pool, Task<Integer, Long> task, List<Integer> inputs, MapOptions options) {
    for (int i = 0; i < 2; i++) {
      pool.map(task, inputs, options);
    }
    long[] nanos = new long[5];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      pool.map(task, inputs, options);
      nanos[i] = System.nanoTime() - t0;
    }
    java.util.Arrays.sort(nanos);
    return inputs.size() * 1e9 / nanos[nanos.length / 2];
  }

  /** Member JVMs on loopback, started with this JVM's class path. */
  private static final class Members implements AutoCloseable {
    final String clusterName = "multiproc-bench-" + UUID.randomUUID().toString().substring(0, 8);
    final List<String> addresses = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();

    static Members start(int count) throws IOException {
      Members m = new Members();
      try {
        int first = freePort();
        for (int i = 0; i < count; i++) {
          int port = i == 0 ? first : freePort();
          List<String> cmd = new ArrayList<>();
          cmd.add(ProcessHandle.current().info().command().orElseThrow());
          cmd.addAll(io.github.multiproc.cluster.ClusterJvmArgs.HAZELCAST);
          cmd.addAll(List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp", System.getProperty("java.class.path"), "io.github.multiproc.cluster.ClusterMember",
              "--cluster-name", m.clusterName, "--port", Integer.toString(port),
              "--members", "127.0.0.1:" + first, "--threads", Integer.toString(WORKERS)));
          Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
          m.processes.add(p);
          m.addresses.add("127.0.0.1:" + port);
          awaitMember(p, port);
        }
        return m;
      } catch (IOException | RuntimeException e) {
        m.close();
        throw e;
      }
    }

    private static void awaitMember(Process p, int port) throws IOException {
      // ClusterMember logs through SLF4J at warn, so wait for the port to accept connections
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IOException("member exited with " + p.exitValue());
        }
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          if (s.isConnected()) {
            return;
          }
        } catch (IOException notYet) {
          try {
            p.waitFor(100, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a member started", e);
          }
        }
      }
      throw new IOException("member on port " + port + " did not start within 60 s");
    }

    @Override
    public void close() {
      processes.forEach(Process::destroy); // SIGTERM: graceful shutdown through the hook
      for (Process p : processes) {
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
