package io.github.multiproc.examples;

import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolStats;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.processpool.ProcessPool;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * A worker JVM is killed (SIGKILL) in the middle of an {@code imap}: only the item it held fails,
 * with {@link WorkerDiedException} naming the pid and signal; the pool starts a replacement and
 * the rest of the call completes. Python's {@code Pool} hangs forever in the same situation.
 */
public final class WorkerKilledMidMap {

  private WorkerKilledMidMap() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run();
  }

  /** Input 13 kills its own worker, as the OOM killer or a native crash would. */
  static final Task<Integer, Integer> FRAGILE = x -> {
    if (x == 13) {
      Runtime.getRuntime().halt(137); // as good as a SIGKILL: no shutdown hooks, no goodbye
    }
    Thread.sleep(Duration.ofMillis(20));
    return x * x;
  };

  private static void show(PoolEvent event) {
    switch (event) {
      case PoolEvent.WorkerDied d -> System.out.println("  event: worker " + d.pid() + " died: " + d.reason()
          + d.exitCode().stream().mapToObj(c -> " (exit code " + c + ")").findFirst().orElse(""));
      case PoolEvent.WorkerReplaced r -> System.out.println("  event: worker " + r.pid() + " replaces worker "
          + r.replacedPid());
      default -> { } // started and retired workers, the failed item (shown above): business as usual
    }
  }

  static void run() {
    // the pool's events tell what happened to its workers (the library logs the death at WARN too;
    // the tour's simplelogger.properties keeps library logs to errors so the sections read cleanly).
    // They arrive on the pool's event thread; all are delivered by the time close() returns.
    List<PoolEvent> events = new CopyOnWriteArrayList<>();
    ProcessPool pool = ProcessPool.builder().workers(2).eventListener(events::add).build();
    try (pool) {
      List<Long> before = pool.workerPids();
      int ok = 0;
      int failed = 0;
      Iterator<Integer> results = pool.imapUnordered(FRAGILE, IntStream.range(0, 40).boxed().toList(),
          MapOptions.builder().chunkSize(1).build());
      while (true) {
        try {
          if (!results.hasNext()) {
            break;
          }
          results.next();
          ok++;
        } catch (WorkerDiedException e) {
          failed++;
          System.out.println("  item failed: " + e.getMessage().lines().findFirst().orElse(""));
          // the call is over once it threw; run the rest again to show the pool carries on
          break;
        } catch (TaskFailedException e) {
          failed++;
          break;
        }
      }
      List<Integer> rest = pool.map(FRAGILE, IntStream.range(14, 40).boxed().toList());
      System.out.printf("  %d results came back, then %d failed item ended the call; a new map over the rest gave %d results%n", ok, failed, rest.size());
      System.out.println("  workers before: " + before + ", after: " + pool.workerPids()
          + " (one replaced, the pool goes on)");
    }
    events.forEach(WorkerKilledMidMap::show);
    PoolStats stats = pool.stats();
    System.out.printf("  pool.stats(): %d items completed, %d failed; %d worker(s) replaced after a death%n",
        stats.itemsCompleted(), stats.itemsFailed(), stats.replacements().died());
  }
}
