package io.github.multiproc.bootit;

import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.ProcessPool;
import java.util.List;

/**
 * A Spring Boot application, packaged as an executable jar ({@code java -jar app.jar}), that uses
 * a {@link ProcessPool} and a {@link JvmProcess}. Inside the jar multiproc sits nested under
 * {@code BOOT-INF/lib} and is loaded by Boot's class loader; {@code SpringBootJarIT} runs it.
 */
public final class BootApp {

  private BootApp() {}

  /**
   * Prints the class loader it runs in, the squares of 1..4 from worker JVMs, and a job's result
   * from a fresh JVM.
   *
   * @param args unused
   * @throws InterruptedException if interrupted while waiting for the job
   */
  public static void main(String[] args) throws InterruptedException {
    System.out.println("loader=" + BootApp.class.getClassLoader().getClass().getName());
    try (ProcessPool pool = ProcessPool.create(2)) {
      System.out.println("squares=" + pool.map(x -> x * x, List.of(1, 2, 3, 4)));
      System.out.println("workerLoader=" + pool.submit(() -> BootApp.class.getClassLoader().getClass().getName()).join());
    }
    System.out.println("job=" + JvmProcess.start(() -> "ran in " + BootApp.class.getSimpleName()).result());
  }
}
