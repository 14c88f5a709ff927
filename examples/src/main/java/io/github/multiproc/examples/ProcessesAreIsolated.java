package io.github.multiproc.examples;

import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.ProcessPool;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's second demo: a process appends to its copy of a list, prints it with its PID, and
 * the parent's list stays empty, because every worker JVM has its own heap.
 *
 * <pre>{@code
 * data = []
 * def process_worker():
 *     data.append("process")
 *     print("Inside process:", data)
 *     print("PID:", os.getpid())
 * p = multiprocessing.Process(target=process_worker); p.start(); p.join()
 * print("Main process:", data)
 * }</pre>
 */
public final class ProcessesAreIsolated {

  static final List<String> DATA = new ArrayList<>();

  private ProcessesAreIsolated() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   * @throws Exception if the demo fails
   */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    DATA.clear();
    JvmProcess<Integer> p = JvmProcess.start(() -> {
      DATA.add("process");
      System.out.println("Inside process: " + DATA);
      System.out.println("PID: " + ProcessHandle.current().pid());
      return DATA.size();
    });
    p.join();
    System.out.println("  JvmProcess pid " + p.pid() + " exited with " + p.exitCode().orElse(-1)
        + "; its list had " + p.result() + " element(s)");
    System.out.println("  Main process: " + DATA + "   (pid " + ProcessHandle.current().pid() + ")");

    try (ProcessPool pool = ProcessPool.create(2)) {
      List<Integer> sizes = pool.map(x -> {
        DATA.add("process");
        return DATA.size();
      }, List.of(1, 2, 3, 4));
      System.out.println("  ProcessPool workers " + pool.workerPids() + " saw list sizes " + sizes
          + "; the parent's list: " + DATA);
    }
    System.out.println("  -> each worker JVM has its own heap, statics and GC: isolation, at the cost of copying.");
  }
}
