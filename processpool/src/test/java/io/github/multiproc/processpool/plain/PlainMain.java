package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.ProcessPool;
import java.util.List;
import java.util.stream.IntStream;

/** A user's program: nothing but a {@code main} and a ProcessPool. Run by {@code PlainMainIT}. */
public final class PlainMain {

  private PlainMain() {}

  /**
   * Squares 0..99 in two worker JVMs and prints the sum and whether the workers were other processes.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    try (ProcessPool pool = ProcessPool.create(2)) {
      List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4));
      List<Integer> squares = pool.map(x -> x * x, IntStream.range(0, 100).boxed().toList());
      System.out.println("sum=" + squares.stream().mapToInt(Integer::intValue).sum());
      System.out.println("otherProcesses=" + pids.stream().noneMatch(p -> p == ProcessHandle.current().pid()));
    }
  }
}
