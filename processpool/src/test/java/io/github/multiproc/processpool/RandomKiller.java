package io.github.multiproc.processpool;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos tests' killer: a thread that sends {@code SIGKILL} to a random live worker of a pool
 * after a random pause of 50-450 ms, until stopped or until it reached its kill budget. Records
 * when each victim was killed, for recovery times.
 */
final class RandomKiller implements AutoCloseable {

  final AtomicInteger kills = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  /**
   * @param pool whose workers to kill
   * @param seed the pauses' and victims' seed
   * @param maxKills stop after this many
   * @param killedAt gets each victim's pid and {@link System#nanoTime()} at its kill
   */
  RandomKiller(ProcessPool pool, long seed, int maxKills, ConcurrentHashMap<Long, Long> killedAt) {
    Random random = new Random(seed);
    thread = Thread.ofPlatform().name("chaos-killer").start(() -> {
      while (!stop.get() && kills.get() < maxKills) {
        // waited for without sleeping in the test's own code
        await().pollDelay(Duration.ofMillis(50 + random.nextInt(400))).atMost(Duration.ofSeconds(2)).until(() -> true);
        List<Long> live = pool.workerPids();
        if (live.isEmpty() || stop.get()) {
          continue;
        }
        long victim = live.get(random.nextInt(live.size()));
        ProcessHandle.of(victim).ifPresent(h -> {
          killedAt.put(victim, System.nanoTime());
          if (h.destroyForcibly()) {
            kills.incrementAndGet();
          }
        });
      }
    });
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(Duration.ofSeconds(5));
  }
}
