package io.github.multiproc.examples;

import io.github.multiproc.Pool;
import io.github.multiproc.Pools;
import io.github.multiproc.Task;
import java.util.List;
import java.util.Map;

/**
 * The same code on every backend: the backend is chosen by configuration alone
 * ({@code -Dmultiproc.backend=process}, {@code MULTIPROC_BACKEND=virtual}, or a
 * {@code multiproc.properties} file), not by the code.
 */
public final class BackendFromConfig {

  private BackendFromConfig() {}

  /**
   * Runs the demo with the backend from the environment.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    try (Pool pool = Pools.fromConfig()) {
      System.out.println(pool + " -> " + pool.map(SQUARE, List.of(1, 2, 3, 4)));
    }
  }

  static final Task<Integer, String> SQUARE =
      x -> x * x + " (pid " + ProcessHandle.current().pid() + ")";

  static void run(List<String> backends) {
    for (String backend : backends) {
      try (Pool pool = Pools.fromConfig(Map.of("multiproc.backend", backend, "multiproc.workers", "2"))) {
        System.out.printf("  multiproc.backend=%-8s -> %s: %s%n", backend, pool.getClass().getSimpleName(),
            pool.map(SQUARE, List.of(1, 2, 3)));
      }
    }
    System.out.println("  (caller pid " + ProcessHandle.current().pid() + ")");
  }
}
