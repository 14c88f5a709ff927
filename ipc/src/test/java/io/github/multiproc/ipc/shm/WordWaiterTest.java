package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WordWaiterTest {

  private static List<WordWaiter> waiters() {
    return FutexWaiter.isSupported() ? List.of(FutexWaiter.INSTANCE, ParkingWaiter.INSTANCE)
        : List.of(ParkingWaiter.INSTANCE);
  }

  @Test
  void shouldReturnAtOnceWhenTheWordAlreadyDiffers() {
    for (WordWaiter waiter : waiters()) {
      try (Arena arena = Arena.ofShared()) {
        MemorySegment word = arena.allocate(64, 64);
        Atomics.INT.setVolatile(word, 0L, 1);
        long start = System.nanoTime();
        waiter.await(word, 0, 0, TimeUnit.SECONDS.toNanos(10));
        assertThat(System.nanoTime() - start).as(waiter.getClass().getSimpleName()).isLessThan(TimeUnit.SECONDS.toNanos(5));
      }
    }
  }

  @Test
  void shouldTimeOutWhileTheWordIsUnchanged() {
    for (WordWaiter waiter : waiters()) {
      try (Arena arena = Arena.ofShared()) {
        MemorySegment word = arena.allocate(64, 64);
        long start = System.nanoTime();
        waiter.await(word, 0, 0, TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(System.nanoTime() - start).as(waiter.getClass().getSimpleName())
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
      }
    }
  }

  @Test
  void shouldWakeASleeperWhenSignalled() throws Exception {
    for (WordWaiter waiter : waiters()) {
      try (Arena arena = Arena.ofShared()) {
        MemorySegment segment = arena.allocate(64, 64);
        EventCount event = new EventCount(segment, 0, 4, waiter);
        int key = event.prepare();
        Thread signaller = Thread.ofPlatform().name("multiproc-test-signaller-0").start(event::signal);
        long start = System.nanoTime();
        event.await(key, TimeUnit.SECONDS.toNanos(20)); // returns on the signal, long before the timeout
        event.cancel();
        signaller.join();
        assertThat(System.nanoTime() - start).as(waiter.getClass().getSimpleName()).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat((int) Atomics.INT.getVolatile(segment, 0L)).isEqualTo(1);
        assertThat((int) Atomics.INT.getVolatile(segment, 4L)).isZero();
      }
    }
  }
}
