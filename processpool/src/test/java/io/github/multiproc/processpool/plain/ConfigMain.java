package io.github.multiproc.processpool.plain;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.Pools;
import java.util.List;

/**
 * A program configured only from outside: {@code Pools.fromConfig()}, then a look at what the
 * workers got. Run by {@code ConfigurationIT} with {@code MULTIPROC_*} environment variables.
 */
public final class ConfigMain {

  private ConfigMain() {}

  /**
   * Prints the pool's class and size, a system property as a worker sees it, and how many worker
   * processes ran six one-item chunks.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    try (Pool pool = Pools.fromConfig()) {
      System.out.println("pool=" + pool.getClass().getSimpleName() + " workers=" + pool.workers());
      System.out.println("property=" + pool.submit(() -> System.getProperty("from.config")).join());
      List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6),
          MapOptions.builder().chunkSize(1).build());
      System.out.println("processes=" + pids.stream().distinct().count());
    }
  }
}
