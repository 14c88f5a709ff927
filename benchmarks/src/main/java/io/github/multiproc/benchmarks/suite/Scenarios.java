package io.github.multiproc.benchmarks.suite;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.Task;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.benchmarks.suite.Comparison.Better;
import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.ipc.shm.MessageCodec;
import io.github.multiproc.ipc.shm.SharedMemory;
import io.github.multiproc.ipc.shm.SharedQueue;
import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The scenarios of the side-by-side suite, each measured the same way on both sides (the Python
 * side is {@code benchmarks/python/peer.py}, one function per scenario). A repetition starts its
 * own pool or peer process, so repetitions are independent; the suite interleaves ours and the
 * peer's so that a change in machine load hits both alike.
 */
final class Scenarios {

  static final int WORKERS = 2;
  /** Round trips before timing, so that both sides' code is compiled (the Python side does 100). */
  static final int WARM_UP_ROUNDS = 5_000;

  private Scenarios() {}

  static List<Scenario> all(PythonPeer py, MemcpyPeer memcpy, boolean quick) {
    int items = 100_000;
    int rounds = quick ? 2_000 : 10_000;
    int mib = quick ? 64 : 256;
    int messages = quick ? 100_000 : 1_000_000;
    List<Scenario> s = new ArrayList<>();
    // steady state: a long-lived pool whose workers' JIT has compiled the hot path (~100 maps);
    // Python has no JIT, 10 warm-up maps are plenty there. The first map is reported separately.
    s.add(new Scenario("Pool.map, 100k tiny tasks, 2 workers, steady state", "items/s", Better.HIGHER,
        "multiprocessing.Pool.map", () -> poolMap(items, 100, 10), () -> py.run("pool_map 2 " + items + " 10 10")));
    s.add(new Scenario("Pool.map, 100k tiny tasks, 2 workers, first map of a new pool (parent JVM warm)", "items/s", Better.HIGHER,
        "multiprocessing.Pool.map", () -> poolMap(items, 0, 1), () -> py.run("pool_map 2 " + items + " 0 1")));
    // jobs of ~0.25 s on each side (8 x 250M iterations in Java, 8 x 1.5M in Python)
    s.add(new Scenario("CPU-bound speed-up, processes, 2 workers", "× serial", Better.HIGHER,
        "multiprocessing.Pool", () -> processSpeedup(8, 250_000_000), () -> py.run("cpu_speedup 2 8 1500000")));
    s.add(new Scenario("CPU-bound speed-up, threads, 2 workers", "× serial", Better.HIGHER,
        "ThreadPoolExecutor (GIL)", () -> threadSpeedup(8, 250_000_000), () -> py.run("thread_speedup 2 8 1500000")));
    s.add(new Scenario("Pool start to first result, 2 workers (parent JVM warm)", "ms", Better.LOWER,
        "multiprocessing.Pool (fork)", Scenarios::poolStart, () -> py.run("pool_start 2")));
    s.add(new Scenario("Worker ready vs a plain JVM Hello world", "ms", Better.LOWER,
        "java -cp <dir> Hello (same JDK)", Scenarios::workerReady, Scenarios::javaHello));
    s.add(new Scenario("Pipe round trip, 64 B", "µs", Better.LOWER, "multiprocessing.Pipe",
        () -> pipeRoundTrip(rounds, 64), () -> py.run("pipe_round_trip " + rounds + " 64")));
    s.add(new Scenario("Pipe one-way, 1 MiB messages", "GB/s", Better.HIGHER, "multiprocessing.Pipe",
        () -> pipeThroughput(mib, 1 << 20), () -> py.run("pipe_throughput " + mib + " " + (1 << 20))));
    s.add(new Scenario("Queue throughput, 16 B messages", "msg/s", Better.HIGHER, "multiprocessing.Queue",
        () -> queueThroughput(messages, 16), () -> py.run("queue_throughput " + messages / 10 + " 16")));
    s.add(new Scenario("Queue round trip, 16 B", "µs", Better.LOWER, "multiprocessing.Queue",
        () -> queueRoundTrip(rounds, 16), () -> py.run("queue_round_trip " + rounds / 2 + " 16")));
    int mapOps = quick ? 20_000 : 100_000;
    // a worker's first operations (JIT cold), and its steady state; Python has no warm-up to wait for
    s.add(new Scenario("Manager map set from a worker, its first 100k operations", "ops/s", Better.HIGHER,
        "Manager().dict()", () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.SET, 0, mapOps),
        () -> py.run("manager_dict set " + mapOps / 10)));
    s.add(new Scenario("Manager map get from a worker, its first 100k operations", "ops/s", Better.HIGHER,
        "Manager().dict()", () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.GET, 0, mapOps),
        () -> py.run("manager_dict get " + mapOps / 10)));
    int steadyWarmUp = quick ? 20_000 : ManagerScenarios.STEADY_WARM_UP_OPS;
    s.add(new Scenario("Manager map set from a worker, steady state", "ops/s", Better.HIGHER, "Manager().dict()",
        () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.SET, steadyWarmUp, mapOps * 2),
        () -> py.run("manager_dict set " + mapOps / 10)));
    s.add(new Scenario("Manager map get from a worker, steady state", "ops/s", Better.HIGHER, "Manager().dict()",
        () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.GET, steadyWarmUp, mapOps * 2),
        () -> py.run("manager_dict get " + mapOps / 10)));
    s.add(new Scenario("Manager map set, 100 keys per round trip (putAll), from a worker", "ops/s", Better.HIGHER,
        "Manager().dict().update (100 keys)", () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.PUT_ALL, mapOps * 5),
        () -> py.run("manager_dict update " + mapOps * 5)));
    s.add(new Scenario("Manager map set, 100 puts per ManagerBatch, from a worker", "ops/s", Better.HIGHER,
        "Manager().dict().update (100 keys)", () -> ManagerScenarios.opsPerSecond(ManagerScenarios.Op.BATCH_SET, mapOps * 5),
        () -> py.run("manager_dict update " + mapOps * 5)));
    // one large value to a worker and back (issue 17): through shared memory (the default above
    // 1 MiB), and through the pipe as before (the threshold off; 64 MiB itself is over the frame
    // limit there, so that row sends 4 KiB less)
    int big = 64 << 20;
    int bigRounds = quick ? 3 : 5;
    s.add(new Scenario("Pool.map round trip of one 64 MiB byte[], 1 worker, shared memory", "ms", Better.LOWER,
        "multiprocessing.Pool.map, 64 MiB bytes", () -> bigRoundTrip(big, bigRounds, ProcessPool.DEFAULT_LARGE_PAYLOAD_THRESHOLD),
        () -> py.run("big_round_trip " + big + " " + bigRounds)));
    s.add(new Scenario("Pool.map round trip of one 64 MiB - 4 KiB byte[], 1 worker, through the pipe (before)", "ms",
        Better.LOWER, "multiprocessing.Pool.map, same bytes", () -> bigRoundTrip(big - 4096, bigRounds, Long.MAX_VALUE),
        () -> py.run("big_round_trip " + (big - 4096) + " " + bigRounds)));
    if (memcpy != null) {
      s.add(new Scenario("Shared memory write+read, " + (quick ? "256 MiB" : "1 GiB"), "GB/s", Better.HIGHER,
          "memcpy (C, gcc -O2)", () -> sharedMemoryBandwidth(quick ? 256 : 1024),
          () -> memcpy.run(quick ? 256 : 1024)));
    }
    return s;
  }

  // ---- pools ----

  static final Task<Integer, Integer> SQUARE = x -> x * x;

  static long cpuTask(long iterations) {
    long total = 0;
    for (long i = 0; i < iterations; i++) {
      total += i ^ (total >>> 7);
    }
    return total;
  }

  static final Task<Long, Long> CPU_TASK = Scenarios::cpuTask;

  static double poolMap(int items, int warmups, int timed) {
    List<Integer> inputs = IntStream.range(0, items).boxed().toList();
    try (ProcessPool pool = ProcessPool.create(WORKERS)) {
      for (int i = 0; i < warmups; i++) {
        pool.map(SQUARE, inputs);
      }
      double[] seconds = new double[timed];
      for (int i = 0; i < timed; i++) {
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(SQUARE, inputs);
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        if (out.get(items - 1) != (items - 1) * (items - 1)) {
          throw new IllegalStateException("wrong result");
        }
      }
      return items / Comparison.median(seconds);
    }
  }

  static final Task<byte[], byte[]> IDENTITY = b -> b;

  /** Median ms of {@code rounds} round trips of one {@code size}-byte array to a started, warm worker and back. */
  static double bigRoundTrip(int size, int rounds, long threshold) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) i;
    }
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD)
        .largePayloadThreshold(threshold)
        // a 64 MiB frame through the pipe can take longer than the three default heartbeats (3 s)
        // on a loaded machine, and is then killed as truncated: give the "before" row room
        .heartbeat(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60)).build()) {
      pool.map(IDENTITY, List.of(new byte[16]));
      pool.map(IDENTITY, List.of(data)); // the path is warm, as the Python side's is after its first call
      double[] ms = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        byte[] back = pool.map(IDENTITY, List.of(data)).getFirst();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (back.length != size || back[size - 1] != data[size - 1]) {
          throw new IllegalStateException("wrong result");
        }
      }
      return Comparison.median(ms);
    }
  }

  static double processSpeedup(int jobs, long iterations) {
    try (ProcessPool pool = ProcessPool.create(WORKERS)) {
      // started before timing, as on the Python side; and the workers have run the task once
      // (their JIT compiled it), as a long-lived pool's workers have
      pool.map(CPU_TASK, Collections.nCopies(2 * WORKERS, iterations / 10), MapOptions.builder().chunkSize(1).build());
      return speedup(pool, jobs, iterations);
    }
  }

  static double threadSpeedup(int jobs, long iterations) {
    try (Pool pool = ThreadPool.create(WORKERS)) {
      return speedup(pool, jobs, iterations);
    }
  }

  private static double speedup(Pool pool, int jobs, long iterations) {
    List<Long> inputs = Collections.nCopies(jobs, iterations);
    long t0 = System.nanoTime();
    List<Long> serial = inputs.stream().map(Scenarios::cpuTask).toList();
    double serialSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    List<Long> parallel = pool.map(CPU_TASK, inputs, MapOptions.builder().chunkSize(1).build());
    double parallelSeconds = (System.nanoTime() - t0) / 1e9;
    if (!serial.equals(parallel)) {
      throw new IllegalStateException("parallel results differ");
    }
    return serialSeconds / parallelSeconds;
  }

  static double poolStart() {
    long t0 = System.nanoTime();
    try (ProcessPool pool = ProcessPool.create(WORKERS)) {
      pool.map(SQUARE, List.of(1));
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  static double workerReady() {
    long t0 = System.nanoTime();
    ProcessPool pool = ProcessPool.create(1); // returns once the worker answered the handshake
    double millis = (System.nanoTime() - t0) / 1e6;
    pool.close();
    return millis;
  }

  /** A plain {@code java -cp <dir> Hello}: the class alone in a directory, as in the measure. */
  static double javaHello() throws Exception {
    Path dir = Files.createTempDirectory("multiproc-bench-hello");
    Path classFile = dir.resolve(Hello.class.getName().replace('.', '/') + ".class");
    try {
      Files.createDirectories(classFile.getParent());
      try (var in = Hello.class.getResourceAsStream("Hello.class")) {
        Files.write(classFile, in.readAllBytes());
      }
      List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xshare:auto",
          "-cp", dir.toString(), Hello.class.getName());
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("java Hello failed: " + command);
      }
      return (System.nanoTime() - t0) / 1e6;
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  // ---- channels ----

  static double pipeRoundTrip(int rounds, int size) throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Connection parent = pipe.first();
      Connection child = pipe.second();
      int total = rounds + WARM_UP_ROUNDS;
      JvmProcess<Integer> echo = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
        try (child) {
          for (int i = 0; i < total; i++) {
            child.sendBytes(child.recvBytes());
          }
        }
        return total;
      });
      byte[] message = new byte[size];
      for (int i = 0; i < WARM_UP_ROUNDS; i++) { // both JITs warm, as a long-lived channel is
        parent.sendBytes(message);
        parent.recvBytes();
      }
      double[] micros = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        parent.sendBytes(message);
        parent.recvBytes();
        micros[i] = (System.nanoTime() - t0) / 1e3;
      }
      echo.join();
      return Comparison.median(micros);
    }
  }

  static double pipeThroughput(int mib, int size) throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Connection parent = pipe.first();
      Connection child = pipe.second();
      int count = (int) ((long) mib * (1 << 20) / size);
      JvmProcess<Integer> sink = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
        try (child) {
          child.sendBytes(new byte[] {0}); // attached: start the clock
          for (int i = 0; i < count; i++) {
            child.recvBytes();
          }
          child.sendBytes(new byte[] {1});
        }
        return count;
      });
      parent.recvBytes();
      byte[] message = new byte[size];
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        parent.sendBytes(message);
      }
      parent.recvBytes();
      double seconds = (System.nanoTime() - t0) / 1e9;
      sink.join();
      return (double) count * size / seconds / 1e9;
    }
  }

  static double queueThroughput(int messages, int size) throws Exception {
    SharedQueue<byte[]> data = SharedQueue.builder(MessageCodec.bytes()).maxMessageBytes(size).create();
    SharedQueue<byte[]> done = SharedQueue.builder(MessageCodec.bytes()).maxMessageBytes(8).create();
    try {
      JvmProcess<Integer> sink = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
        done.put(new byte[] {0}); // attached: start the clock
        for (int i = 0; i < messages; i++) {
          data.take();
        }
        done.put(new byte[] {1});
        data.close();
        done.close();
        return messages;
      });
      done.take();
      byte[] message = new byte[size];
      long t0 = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        data.put(message);
      }
      done.take();
      double seconds = (System.nanoTime() - t0) / 1e9;
      sink.join();
      return messages / seconds;
    } finally {
      release(data, done);
    }
  }

  static double queueRoundTrip(int rounds, int size) throws Exception {
    SharedQueue<byte[]> ping = SharedQueue.builder(MessageCodec.bytes()).maxMessageBytes(size).create();
    SharedQueue<byte[]> pong = SharedQueue.builder(MessageCodec.bytes()).maxMessageBytes(size).create();
    int total = rounds + WARM_UP_ROUNDS;
    try {
      JvmProcess<Integer> echo = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
        for (int i = 0; i < total; i++) {
          pong.put(ping.take());
        }
        ping.close();
        pong.close();
        return total;
      });
      byte[] message = new byte[size];
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        ping.put(message);
        pong.take();
      }
      double[] micros = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        ping.put(message);
        pong.take();
        micros[i] = (System.nanoTime() - t0) / 1e3;
      }
      echo.join();
      return Comparison.median(micros);
    } finally {
      release(ping, pong);
    }
  }

  private static void release(SharedQueue<?>... queues) {
    for (SharedQueue<?> q : queues) {
      q.shutdown();
      q.close();
      q.unlink();
    }
  }

  /** A worker JVM copies {@code mib} MiB into a shared segment and back, after a first touch: GB/s moved. */
  static double sharedMemoryBandwidth(int mib) throws Exception {
    long bytes = (long) mib << 20;
    try (SharedMemory memory = SharedMemory.create(bytes)) {
      String name = memory.name();
      try {
        JvmProcess<Double> worker = JvmProcess.builder().output(WorkerOutput.DISCARD)
            .jvmArgs("-Xmx256m").start(() -> {
              try (SharedMemory shared = SharedMemory.attach(name); Arena arena = Arena.ofConfined()) {
                MemorySegment segment = shared.segment();
                MemorySegment local = arena.allocate(segment.byteSize(), 64);
                local.fill((byte) 1);
                segment.fill((byte) 2); // first touch: page faults are not what we measure
                double[] gbs = new double[3];
                for (int pass = 0; pass < gbs.length; pass++) {
                  long t0 = System.nanoTime();
                  MemorySegment.copy(local, 0, segment, 0, segment.byteSize());
                  MemorySegment.copy(segment, 0, local, 0, segment.byteSize());
                  gbs[pass] = 2.0 * segment.byteSize() / ((System.nanoTime() - t0) / 1e9) / 1e9;
                }
                return Comparison.median(gbs);
              }
            });
        return worker.result();
      } finally {
        memory.unlink();
      }
    }
  }

  /** The C baseline for shared-memory bandwidth: memcpy between two private buffers, built here. */
  static final class MemcpyPeer implements AutoCloseable {
    private static final String SOURCE = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <time.h>
        static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
        int main(int argc, char **argv) {
          size_t bytes = strtoull(argv[1], 0, 10) << 20;
          char *a = malloc(bytes), *b = malloc(bytes);
          if (!a || !b) return 1;
          memset(a, 1, bytes); memset(b, 2, bytes);
          double best[3];
          for (int p = 0; p < 3; p++) {
            double t0 = now();
            memcpy(b, a, bytes);
            memcpy(a, b, bytes);
            best[p] = 2.0 * bytes / (now() - t0) / 1e9;
          }
          double x = best[0], y = best[1], z = best[2];
          double median = x > y ? (y > z ? y : (x > z ? z : x)) : (x > z ? x : (y > z ? z : y));
          printf("%.6f %d\\n", median, a[bytes / 2] + b[bytes - 1]);
          return 0;
        }
        """;

    private final Path dir;
    private final Path binary;

    private MemcpyPeer(Path dir, Path binary) {
      this.dir = dir;
      this.binary = binary;
    }

    /** Builds the C program with gcc, or returns null (and says why) when there is no gcc. */
    static MemcpyPeer build() throws Exception {
      Path dir = Files.createTempDirectory("multiproc-bench-memcpy");
      Path source = dir.resolve("memcpy.c");
      Path binary = dir.resolve("memcpy");
      Files.writeString(source, SOURCE);
      try {
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString()).inheritIO().start();
        if (gcc.waitFor() == 0) {
          return new MemcpyPeer(dir, binary);
        }
      } catch (java.io.IOException e) {
        System.err.println("no gcc: the shared-memory bandwidth scenario is skipped (" + e.getMessage() + ")");
      }
      new MemcpyPeer(dir, binary).close();
      return null;
    }

    double run(int mib) throws Exception {
      Process p = new ProcessBuilder(binary.toString(), Integer.toString(mib)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("memcpy baseline failed: " + out);
      }
      return Double.parseDouble(out.split(" ")[0]);
    }

    @Override
    public void close() throws java.io.IOException {
      for (Path p : List.of(binary, dir.resolve("memcpy.c"), dir)) {
        Files.deleteIfExists(p);
      }
    }
  }

}
