package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A user's program on a class path of jars only, run by {@code AotCacheIT}: its first pool makes
 * the workers' AOT cache (in {@code $XDG_CACHE_HOME/multiproc/aot}), its second pool's workers
 * start with it. Prints what the test checks.
 */
public final class AotMain {

  private AotMain() {}

  /**
   * Runs two pools, the second once the cache exists.
   *
   * @param args {@code <cache directory>}
   * @throws Exception if anything fails
   */
  public static void main(String[] args) throws Exception {
    Path cacheDir = Path.of(args[0]);
    try (ProcessPool first = ProcessPool.create(1)) {
      System.out.println("firstSum=" + sum(first));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (cacheFiles(cacheDir).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50); // a fixture, not a test: waits for the pool's background training run
      }
    }
    System.out.println("cacheFiles=" + cacheFiles(cacheDir).size());
    try (ProcessPool second = ProcessPool.create(2)) {
      List<Long> pids = second.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4));
      boolean withCache = pids.stream().distinct().allMatch(pid -> ProcessHandle.of(pid)
          .flatMap(h -> h.info().arguments()).stream().flatMap(Stream::of).anyMatch(a -> a.startsWith("-XX:AOTCache=")));
      System.out.println("secondSum=" + sum(second));
      System.out.println("workersUsedCache=" + withCache);
    }
  }

  private static int sum(ProcessPool pool) {
    return pool.map(x -> x * x, IntStream.range(0, 100).boxed().toList()).stream().mapToInt(Integer::intValue).sum();
  }

  private static List<Path> cacheFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("worker-[0-9a-f]+\\.aot")).toList();
    }
  }
}
