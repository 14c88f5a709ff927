package io.github.multiproc.examples;

import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.manager.Manager;
import io.github.multiproc.processpool.manager.SharedCounter;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Manager}, like Python's {@code multiprocessing.Manager()}: worker JVMs fill one shared
 * map and bump one shared counter through proxies captured in their task, and the parent reads
 * both.
 */
public final class SharedMapFromWorkers {

  private SharedMapFromWorkers() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run();
  }

  static void run() {
    List<String> words = List.of("manager", "proxy", "shared", "map", "worker", "parent");
    try (Manager manager = Manager.start(); ProcessPool pool = ProcessPool.create(2)) {
      ConcurrentMap<String, Long> wordToPid = manager.map("word-to-pid"); // a proxy: serializable, small
      SharedCounter letters = manager.counter("letters");
      pool.map(word -> {
        wordToPid.put(word, ProcessHandle.current().pid());        // one atomic call to the manager
        return letters.addAndGet(word.length());
      }, words);
      long workers = wordToPid.values().stream().distinct().count();
      System.out.println("  the parent reads the map the workers filled: " + new TreeMap<>(wordToPid).keySet());
      System.out.println("  written by " + workers + " worker JVM(s); letters counted in the manager: "
          + letters.get() + " (expected " + words.stream().mapToInt(String::length).sum() + ")");
      System.out.println("  the manager is JVM pid " + manager.pid() + "; close() ends it and every proxy with it");
    }
  }
}
