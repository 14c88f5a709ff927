package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.shm.SharedLongArray;
import io.github.multiproc.ipc.shm.SharedMemory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos for tasks that are <em>not</em> idempotent: workers are killed at random while maps run,
 * and every item counts in shared memory how often it started. Maps alternate between int inputs
 * and results (the worker's int path) and longs (the general path). No item may start twice: an item
 * whose worker died while running it fails with {@link WorkerDiedException} (exit 137) and is
 * never sent again; every other item completes with its own result; no call hangs.
 *
 * <p>In the suite it runs until at least 20 kills (about 20-40 s). With {@code -Dchaos.kills=N} it
 * runs until N kills and prints its figures.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ExactlyOnceChaosIT {

  private static final int ITEMS = 2_000;

  @Test
  void shouldNeverStartANonIdempotentItemTwiceWhileWorkersAreKilledAtRandom() throws Exception {
    int minKills = Integer.getInteger("chaos.kills", 20);
    long maps = 0;
    long failedItems = 0;
    long startedTwice = 0;
    SharedMemory shared = SharedMemory.create(8L * ITEMS);
    try (SharedMemory memory = shared;
        ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).output(WorkerOutput.DISCARD).build()) {
      SharedLongArray starts = memory.longArray(0, ITEMS);
      // input m * ITEMS + i is item i of map m; slot i holds (map << 8 | starts in that map), so a
      // cancelled item of an earlier map that starts late is not counted against a later one. Odd
      // maps send Integers and answer Integers (the worker's int path), even maps Longs.
      Task<Number, Number> once = input -> {
        long x = input.longValue();
        long m = x / ITEMS;
        int i = (int) (x % ITEMS);
        while (true) { // not idempotent: a second start is visible
          long old = starts.get(i);
          if (old >>> 8 > m) {
            break;
          }
          long next = old >>> 8 == m ? old + 1 : m << 8 | 1;
          if (starts.compareAndSet(i, old, next)) {
            break;
          }
        }
        long end = System.nanoTime() + 200_000;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        return input instanceof Integer ? (Number) (int) (3 * x) : (Number) (3L * x);
      };
      long begun = System.nanoTime();
      try (RandomKiller killer = new RandomKiller(pool, 20_261_204, minKills + 2, new ConcurrentHashMap<>())) {
        while (killer.kills.get() < minKills) {
          long m = maps + 1;
          List<Number> inputs = IntStream.range(0, ITEMS)
              .mapToObj(i -> m % 2 == 1 ? (Number) (int) (m * ITEMS + i) : (Number) (m * ITEMS + i)).toList();
          var it = pool.imap(once, inputs, MapOptions.builder().chunkSize(10).build());
          for (int i = 0; i < ITEMS; i++) {
            try {
              assertThat(it.next()).isEqualTo(m % 2 == 1 ? (Number) (int) (3 * (m * ITEMS + i))
                  : (Number) (3L * (m * ITEMS + i)));
            } catch (TaskFailedException e) {
              assertThat(e).isInstanceOf(WorkerDiedException.class);
              // SIGKILL's 137, or unknown when the death was reported before the exit code (a loaded machine)
              assertThat(((WorkerDiedException) e).exitCode().orElse(137)).isEqualTo(137);
              failedItems++;
              break; // imap ends at its first failure; start the next map
            }
          }
          for (int i = 0; i < ITEMS; i++) {
            long slot = starts.get(i);
            if (slot >>> 8 == m && (slot & 0xFF) > 1) {
              startedTwice++;
            }
          }
          maps++;
          assertThat(startedTwice).as("items started twice").isZero();
        }
      }
      System.out.printf("exactly-once chaos: %d maps, %d kills, %d failed items, %d items started twice, %.1f s%n",
          maps, minKills, failedItems, startedTwice, Duration.ofNanos(System.nanoTime() - begun).toMillis() / 1000.0);
    } finally {
      shared.unlink(); // also when an assertion failed: nothing left in /dev/shm
    }
  }
}
