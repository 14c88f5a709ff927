package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path cacheDir = Files.createDirectories(Path.of(args[0]));
    try (WatchService watcher = cacheDir.getFileSystem().newWatchService();
        ProcessPool first = ProcessPool.create(1)) {
      cacheDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE); // the cache is renamed into place
      System.out.println("firstSum=" + sum(first));
      awaitCache(cacheDir, watcher, Duration.ofSeconds(60)); // the pool's background training run
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

  private static void awaitCache(Path cacheDir, WatchService watcher, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cacheFiles(cacheDir).isEmpty()) {
      WatchKey key = watcher.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (key == null) {
        return; // timed out: the caller prints what is there
      }
      key.pollEvents();
      key.reset();
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
