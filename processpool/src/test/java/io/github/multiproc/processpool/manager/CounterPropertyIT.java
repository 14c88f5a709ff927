package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.github.multiproc.MapOptions;
import io.github.multiproc.processpool.ProcessPool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: increments of one shared counter from N worker JVMs at once never get lost or
 * doubled: the counter ends at exactly N x k, and the values {@code incrementAndGet} returned
 * across every process are exactly 1..N x k, each once. The same for a registered {@link Tally}
 * whose increment leaves a 20 µs window between its read and its write, so only the manager's
 * per-object lock keeps it whole (without the lock this property fails at once).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CounterPropertyIT {

  private static final int WORKERS = 3;
  private static final AtomicInteger EXAMPLES = new AtomicInteger();
  private static Manager manager;
  private static ProcessPool pool;

  @BeforeAll
  static void start() {
    manager = Manager.start();
    manager.register(Tally.class, SlowTally::new);
    pool = ProcessPool.builder().workers(WORKERS).aotCache(false).build();
  }

  @AfterAll
  static void stop() {
    pool.close();
    manager.close();
  }

  @Test
  void shouldSumConcurrentIncrementsFromNProcessesExactly() {
    qt().withExamples(12).withShrinkCycles(20).forAll(integers().between(1, WORKERS), integers().between(1, 400))
        .checkAssert((n, k) -> {
          int example = EXAMPLES.incrementAndGet();
          SharedCounter counter = manager.counter("sum-" + example);
          Tally tally = manager.create(Tally.class, "tally-" + example); // atomic only by the manager's lock
          SharedCounter started = manager.counter("started-" + example);
          List<long[]> returned = pool.map(i -> {
            started.incrementAndGet();
            while (started.get() < n) { // every process is running before any increments
              Thread.onSpinWait();
            }
            long[] got = new long[2 * k];
            for (int j = 0; j < k; j++) {
              got[2 * j] = counter.incrementAndGet();
              got[2 * j + 1] = -tally.increment();
            }
            return got;
          }, IntStream.range(0, n).boxed().toList(), MapOptions.builder().chunkSize(1).build());
          assertThat(counter.get()).isEqualTo((long) n * k);
          assertThat(returned.stream().flatMapToLong(LongStream::of).filter(v -> v > 0).sorted().toArray())
              .containsExactly(LongStream.rangeClosed(1, (long) n * k).toArray());
          assertThat(returned.stream().flatMapToLong(LongStream::of).filter(v -> v < 0).map(v -> -v).sorted().toArray())
              .containsExactly(LongStream.rangeClosed(1, (long) n * k).toArray());
        });
  }
}
