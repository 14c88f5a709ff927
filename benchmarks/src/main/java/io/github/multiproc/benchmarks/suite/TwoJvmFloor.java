package io.github.multiproc.benchmarks.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of the whole-program scenarios: a JVM that starts two JVMs which only print a line
 * ({@link Hello}, with the flags a pool gives its workers: serial GC, one processor each, 16 MiB
 * initial heap) and waits for both. No pool can start its two workers in less; what the suite
 * measures above this is the library's own cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.multiproc.benchmarks.suite.TwoJvmFloor
 * </pre>
 */
public final class TwoJvmFloor {

  private TwoJvmFloor() {}

  /**
   * Starts the two JVMs and waits for them.
   *
   * @param args ignored (the A/B script passes the whole program's arguments to every side)
   * @throws Exception if a JVM cannot be started
   */
  public static void main(String[] args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> jvms = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      jvms.add(new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-Xms16m", "-cp",
          System.getProperty("java.class.path"), Hello.class.getName())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }
    for (Process p : jvms) {
      p.waitFor();
    }
  }
}
