package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadPoolTest {

  // The seed's first demo: shared_data.append("thread") is visible to the caller.
  static final List<String> SHARED_DATA = Collections.synchronizedList(new ArrayList<>());

  @Test
  void shouldShareMemoryWithTheCallerLikePythonThreads() {
    SHARED_DATA.clear();
    try (Pool pool = ThreadPool.create(2)) {
      pool.map(x -> SHARED_DATA.add("thread"), List.of(1));
    }
    assertThat(SHARED_DATA).containsExactly("thread");
  }

  @Test
  void shouldRunTenMillionLazyInputsInBoundedMemory() {
    long n = 10_000_000;
    AtomicLong read = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    Iterable<Long> inputs = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return read.get() < n;
      }

      @Override
      public Long next() {
        return read.getAndIncrement();
      }
    };
    long sum = 0;
    long consumed = 0;
    try (Pool pool = ThreadPool.create(2)) {
      Iterator<Long> results = pool.imap(x -> x & 1, inputs);
      while (results.hasNext()) {
        sum += results.next();
        consumed++;
        maxAhead.accumulateAndGet(read.get() - consumed, Math::max);
      }
    }
    assertThat(consumed).isEqualTo(n);
    assertThat(sum).isEqualTo(n / 2);
    // default window: 2 x workers chunks of at most MAX_AUTO_CHUNK_SIZE, plus the chunk being read
    assertThat(maxAhead.get()).isLessThanOrEqualTo(5L * MapOptions.MAX_AUTO_CHUNK_SIZE);
  }

  @Test
  void shouldRunTheInitializerOncePerThread() {
    Set<String> initialized = ConcurrentHashMap.newKeySet();
    AtomicInteger runs = new AtomicInteger();
    try (Pool pool = ThreadPool.builder().workers(3).initializer(() -> {
      runs.incrementAndGet();
      initialized.add(Thread.currentThread().getName());
    }).build()) {
      for (int round = 0; round < 5; round++) {
        List<String> seenBy = pool.map(x -> {
          Work.pause(Duration.ofMillis(1));
          return Thread.currentThread().getName();
        }, IntStream.range(0, 30).boxed().toList(), MapOptions.builder().chunkSize(1).build());
        assertThat(initialized).containsAll(seenBy);
      }
    }
    assertThat(runs.get()).isEqualTo(initialized.size()).isBetween(1, 3);
  }

  @Test
  void shouldFailItemsOfAWorkerWhoseInitializerThrew() {
    try (Pool pool = ThreadPool.builder().workers(1).initializer(() -> {
      throw new IllegalStateException("no database");
    }).build()) {
      assertThatThrownBy(() -> pool.map(x -> x, List.of(1, 2)))
          .isInstanceOfSatisfying(WorkerInitializationException.class, e -> {
            assertThat(e.index()).isZero();
            assertThat(e).hasMessageContaining("initializer").hasRootCauseMessage("no database");
          });
    }
  }

  @Test
  void shouldNameItsThreadsAndReleaseThemOnClose() throws Exception {
    String name;
    try (Pool pool = ThreadPool.create(2)) {
      name = pool.submit(() -> Thread.currentThread().getName()).get();
    }
    assertThat(name).startsWith("multiproc-thread-");
    String prefix = name.substring(0, name.lastIndexOf('-') + 1);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
  }

  @Test
  void shouldKeepTheInterruptStatusWhenInterruptedDuringClose() throws Exception {
    Pool pool = ThreadPool.create(1);
    var running = pool.submit(() -> {
      Work.pause(Duration.ofMinutes(5));
      return 1;
    });
    Thread.currentThread().interrupt();
    pool.close(); // interrupted: running work is interrupted, close still completes
    assertThat(Thread.interrupted()).isTrue();
    assertThat(running).isCompletedExceptionally();
  }

  @Test
  void shouldRejectBadArguments() {
    assertThatThrownBy(() -> ThreadPool.create(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 1: workers=0");
    try (Pool pool = ThreadPool.create(1)) {
      assertThatThrownBy(() -> pool.map(null, List.of())).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> pool.map(x -> x, null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void shouldRunCpuBoundWorkOnSeveralThreadsAtOnce() {
    // Java threads are not serialized by a global lock: two busy tasks overlap in time.
    Set<String> concurrent = ConcurrentHashMap.newKeySet();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    try (Pool pool = ThreadPool.create(2)) {
      pool.map(x -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        long deadline = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < deadline && maxInside.get() < 2) {
          Thread.onSpinWait();
        }
        concurrent.add(Thread.currentThread().getName());
        inside.decrementAndGet();
        return x;
      }, List.of(1, 2), MapOptions.builder().chunkSize(1).build());
    }
    assertThat(maxInside.get()).isEqualTo(2);
    assertThat(concurrent).hasSize(2);
  }
}
