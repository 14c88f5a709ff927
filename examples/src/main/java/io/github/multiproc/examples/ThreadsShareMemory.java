package io.github.multiproc.examples;

import io.github.multiproc.Pool;
import io.github.multiproc.ThreadPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The seed's first demo: a thread appends to a list the caller holds, and the caller sees it,
 * because threads share the process's memory.
 *
 * <pre>{@code
 * shared_data = []
 * def thread_worker(): shared_data.append("thread")
 * }</pre>
 */
public final class ThreadsShareMemory {

  static final List<String> SHARED_DATA = Collections.synchronizedList(new ArrayList<>());

  private ThreadsShareMemory() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run();
  }

  static void run() {
    SHARED_DATA.clear();
    try (Pool pool = ThreadPool.create(1)) {
      pool.map(x -> SHARED_DATA.add("thread"), List.of(1));
    }
    System.out.println("  after a ThreadPool task appended to it, the caller's list is " + SHARED_DATA);
    System.out.println("  -> threads share the caller's heap: no copying, and no isolation either.");
  }
}
