package io.github.multiproc.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tour the README runs ({@code bin/tour}): each section is a small standalone example class
 * with its own {@code main}, run here one after another with a heading.
 */
public final class Tour {

  private Tour() {}

  private static Map<String, Section> sections() {
    Map<String, Section> s = new LinkedHashMap<>();
    s.put("threads-share-memory", new Section("Threads share memory (the seed's first demo)",
        ThreadsShareMemory::run));
    s.put("processes-are-isolated", new Section("Processes are isolated (the seed's second demo)",
        ProcessesAreIsolated::run));
    s.put("cpu-bound", new Section("A CPU-bound job: serial vs ThreadPool vs ProcessPool",
        () -> CpuBoundSpeedup.run(2)));
    s.put("virtual-threads", new Section("Waiting-heavy work: ThreadPool vs VirtualThreadPool",
        VirtualThreadsForWaiting::run));
    s.put("queue", new Section("A worker puts \"hello\" on a SharedQueue, the parent reads it (the seed's IPC demo)",
        QueueHello::run));
    s.put("pipe", new Section("Pipe ping-pong between the parent and a worker JVM", PipePingPong::run));
    s.put("shared-counter", new Section("Several workers increment one counter in shared memory",
        SharedCounter::run));
    s.put("manager", new Section("A Manager: workers fill a shared map, the parent reads it",
        SharedMapFromWorkers::run));
    s.put("config", new Section("The backend chosen by configuration alone",
        () -> BackendFromConfig.run(availableBackends())));
    s.put("worker-killed", new Section("A worker killed mid-map: the pool carries on",
        WorkerKilledMidMap::run));
    return s;
  }

  static List<String> availableBackends() {
    List<String> names = new ArrayList<>(List.of("thread", "virtual"));
    try {
      Class.forName("io.github.multiproc.processpool.ProcessPool");
      names.add("process");
    } catch (ClassNotFoundException e) {
      // the process backend is not on the class path: show the other two
    }
    return names;
  }

  /**
   * Runs every section, or the named ones.
   *
   * @param args section names, or {@code --list}
   * @throws Exception if a section fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, Section> all = sections();
    if (args.length == 1 && args[0].equals("--list")) {
      all.forEach((name, s) -> System.out.printf("%-22s %s%n", name, s.title()));
      return;
    }
    List<String> chosen = args.length == 0 ? List.copyOf(all.keySet()) : Arrays.asList(args);
    for (String name : chosen) {
      if (!all.containsKey(name)) {
        System.err.println("no section '" + name + "'; sections: " + String.join(", ", all.keySet()));
        System.exit(2);
      }
    }
    long start = System.nanoTime();
    int n = 0;
    for (String name : chosen) {
      Section s = all.get(name);
      System.out.printf("%s== %d. %s [%s]%n", n == 0 ? "" : System.lineSeparator(), ++n, s.title(), name);
      s.body().run();
    }
    System.out.printf("%nTour done in %.1f s.%n", (System.nanoTime() - start) / 1e9);
  }

  private record Section(String title, Step body) {}

  /** A section's body; examples may throw, which ends the tour with the error. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }
}
