package io.github.multiproc.benchmarks.shm;

import io.github.multiproc.benchmarks.suite.Comparison;
import io.github.multiproc.ipc.shm.SharedMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Write-then-read bandwidth of a 1 GiB {@link SharedMemory} segment from a worker JVM, against
 * {@code memcpy} between two private 1 GiB buffers in a C program compiled with {@code gcc -O2}
 * in the same run. One pass = copy 1 GiB from a private buffer into the shared segment (write)
 * + copy it back (read) = 2 GiB moved. Both sides touch their memory once before timing (the
 * first touch of fresh shared memory costs page faults; it is reported separately).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp <class path> \
 *     io.github.multiproc.benchmarks.shm.BandwidthBench [passes=7] [mebibytes=1024]
 * </pre>
 */
public final class BandwidthBench {

  private static final String MEMCPY_C = """
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      #include <time.h>
      static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
      static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
      int main(int argc, char **argv) {
        size_t bytes = strtoull(argv[1], 0, 10); int passes = atoi(argv[2]);
        char *a = malloc(bytes), *b = malloc(bytes);
        if (!a || !b) return 1;
        memset(a, 1, bytes); memset(b, 2, bytes);
        double *gbs = malloc(sizeof(double) * passes);
        for (int p = 0; p < passes; p++) {
          double t0 = now();
          memcpy(b, a, bytes);
          memcpy(a, b, bytes);
          gbs[p] = 2.0 * bytes / (now() - t0) / 1e9;
          printf("pass %d: %.2f GB/s\\n", p, gbs[p]);
        }
        qsort(gbs, passes, sizeof(double), cmp);
        printf("median gbs=%.3f check=%d\\n", gbs[passes / 2], a[bytes / 2] + b[bytes - 1]);
        return 0;
      }
      """;

  private BandwidthBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--worker")) {
      worker(args[1], Integer.parseInt(args[2]));
      return;
    }
    int passes = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long bytes = (args.length > 1 ? Long.parseLong(args[1]) : 1024) << 20;

    Path dir = Files.createTempDirectory("multiproc-bench");
    List<String> c;
    try {
      Files.writeString(dir.resolve("memcpy.c"), MEMCPY_C);
      Peers.run(List.of("gcc", "-O2", "-o", dir.resolve("memcpy").toString(), dir.resolve("memcpy.c").toString()));
      c = Peers.run(List.of(dir.resolve("memcpy").toString(), Long.toString(bytes), Integer.toString(passes)));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    c.forEach(line -> System.out.println("memcpy " + line));

    List<String> java = new ArrayList<>();
    try (SharedMemory memory = SharedMemory.create(bytes)) {
      try {
        Process worker = Peers.startJvm(BandwidthBench.class, "--worker", memory.name(), Integer.toString(passes));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
          in.lines().forEach(java::add);
        }
        if (worker.waitFor() != 0) {
          throw new IllegalStateException("worker failed");
        }
      } finally {
        memory.unlink();
      }
    }
    java.forEach(line -> System.out.println("worker " + line));
    double cGbs = Peers.field(c, "median", "gbs");
    double jGbs = Peers.field(java, "median", "gbs");
    System.out.printf(Locale.ROOT, "%n%d MiB shared segment, write-then-read from a worker JVM, medians of %d passes%n",
        bytes >> 20, passes);
    System.out.printf(Locale.ROOT, "  worker JVM %.2f GB/s   memcpy %.2f GB/s   ratio %.0f%% (goal >= 70%%)%n",
        jGbs, cGbs, 100 * jGbs / cGbs);
  }

  private static void worker(String name, int passes) {
    try (SharedMemory memory = SharedMemory.attach(name); Arena arena = Arena.ofConfined()) {
      MemorySegment shared = memory.segment();
      long bytes = shared.byteSize();
      MemorySegment local = arena.allocate(bytes, 64);
      local.fill((byte) 1);
      long t0 = System.nanoTime();
      shared.fill((byte) 2); // first touch: page faults
      System.out.printf(Locale.ROOT, "first touch: %.2f GB/s%n", bytes / ((System.nanoTime() - t0) / 1e9) / 1e9);
      double[] gbs = new double[passes];
      for (int p = 0; p < passes; p++) {
        long start = System.nanoTime();
        MemorySegment.copy(local, 0, shared, 0, bytes); // write
        MemorySegment.copy(shared, 0, local, 0, bytes); // read
        gbs[p] = 2.0 * bytes / ((System.nanoTime() - start) / 1e9) / 1e9;
        System.out.printf(Locale.ROOT, "pass %d: %.2f GB/s%n", p, gbs[p]);
      }
      System.out.printf(Locale.ROOT, "median gbs=%.3f%n", Comparison.median(gbs));
    }
  }
}
