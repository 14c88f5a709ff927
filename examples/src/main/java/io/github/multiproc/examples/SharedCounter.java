package io.github.multiproc.examples;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.shm.SharedLong;
import io.github.multiproc.ipc.shm.SharedMemory;
import io.github.multiproc.processpool.ProcessPool;
import java.util.Collections;
import java.util.List;

/**
 * Several worker JVMs increment one counter in shared memory, like Python's
 * {@code multiprocessing.Value}: {@code getAndAdd} is atomic across processes, so no increment
 * is lost.
 */
public final class SharedCounter {

  static final int WORKERS = 2;
  static final int TASKS = 8;
  static final int INCREMENTS = 250_000;

  private SharedCounter() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run();
  }

  static void run() {
    try (SharedMemory memory = SharedMemory.create(64)) {
      String name = memory.name();
      Task<Integer, Long> increment = ignored -> {
        try (SharedMemory attached = SharedMemory.attach(name)) {
          SharedLong counter = attached.longAt(0);
          for (int i = 0; i < INCREMENTS; i++) {
            counter.getAndAdd(1);
          }
          return ProcessHandle.current().pid();
        }
      };
      List<Long> pids;
      try (ProcessPool pool = ProcessPool.create(WORKERS)) {
        pids = pool.map(increment, Collections.nCopies(TASKS, 0), io.github.multiproc.MapOptions.builder().chunkSize(1).build());
      }
      System.out.printf("  %d tasks in worker JVMs %s each added %,d: counter = %,d (expected %,d)%n", TASKS,
          pids.stream().distinct().toList(), INCREMENTS, memory.longAt(0).get(), (long) TASKS * INCREMENTS);
      memory.unlink();
    }
  }
}
