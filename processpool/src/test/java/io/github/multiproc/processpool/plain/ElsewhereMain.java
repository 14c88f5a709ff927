package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;
import java.nio.file.Path;
import java.util.List;

/**
 * A program started with a relative class path whose workers run in another working directory.
 * Run by {@code LaunchAnywhereIT}.
 */
public final class ElsewhereMain {

  private ElsewhereMain() {}

  /**
   * Prints the workers' working directory and the doubles of 1..3.
   *
   * @param args {@code <the workers' working directory>}
   */
  public static void main(String[] args) {
    try (ProcessPool pool = ProcessPool.builder().workers(1).workingDirectory(Path.of(args[0])).build()) {
      System.out.println("workerDir=" + pool.submit(() -> System.getProperty("user.dir")).join());
      System.out.println("doubles=" + pool.map(x -> 2 * x, List.of(1, 2, 3)));
    }
  }
}
