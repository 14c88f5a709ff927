package io.github.multiproc.processpool.plain;

import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.ProcessPool;
import java.util.List;

/** A plugin loaded by {@link ChildLoaderHost}: maps in a ProcessPool and runs a JvmProcess. */
public final class PluginMain {

  private PluginMain() {}

  /**
   * Prints the loader it was loaded by, the squares of 1..4 computed by worker JVMs and the result
   * of a job run in a fresh JVM.
   *
   * @param args unused
   * @throws InterruptedException if interrupted while waiting for the job
   */
  public static void main(String[] args) throws InterruptedException {
    System.out.println("loadedBy=" + PluginMain.class.getClassLoader().getName()
        + " libraryLoadedBy=" + ProcessPool.class.getClassLoader().getName());
    try (ProcessPool pool = ProcessPool.create(2)) {
      System.out.println("squares=" + pool.map(x -> x * x, List.of(1, 2, 3, 4)));
    }
    System.out.println("job=" + JvmProcess.start(() -> "ran in " + PluginMain.class.getSimpleName()).result());
  }
}
