package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessLockTest {

  @Test
  void shouldExcludeASecondInstanceUntilUnlocked() throws Exception {
    ProcessLock lock = ProcessLock.create();
    ProcessLock other = ProcessLock.attach(lock.name());
    try {
      assertThat(lock.tryLock()).isTrue();
      assertThat(other.tryLock()).isFalse();
      assertThat(other.tryLock(Duration.ofMillis(30))).isFalse();
      Thread waiter = Thread.ofPlatform().name("multiproc-test-waiter-0").start(other::lock);
      lock.unlock();
      waiter.join();
      assertThat(lock.tryLock()).isFalse(); // the waiter thread holds it through `other`
    } finally {
      other.close();
      lock.close();
      lock.unlink();
    }
  }

  @Test
  void shouldRefuseReentryAndForeignUnlock() throws Exception {
    try (ProcessLock lock = ProcessLock.create()) {
      try {
        lock.lock();
        assertThatThrownBy(lock::lock).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("not reentrant");
        Thread other = Thread.ofPlatform().name("multiproc-test-other-0").start(() ->
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class));
        other.join();
        lock.unlock();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
      } finally {
        lock.unlink();
      }
    }
  }

  @Test
  void shouldMakeThreadsOfOneInstanceTakeTurns() throws Exception {
    try (ProcessLock lock = ProcessLock.create(); SharedMemory memory = SharedMemory.create(8)) {
      try {
        var data = memory.segment();
        Thread[] threads = new Thread[3];
        for (int t = 0; t < threads.length; t++) {
          threads[t] = Thread.ofPlatform().name("multiproc-test-locker-" + t).start(() -> {
            for (int i = 0; i < 2000; i++) {
              lock.lock();
              try {
                data.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, data.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) + 1);
              } finally {
                lock.unlock();
              }
            }
          });
        }
        for (Thread thread : threads) {
          thread.join();
        }
        assertThat(data.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).isEqualTo(6000);
      } finally {
        lock.unlink();
        memory.unlink();
      }
    }
  }

  @Test
  void shouldCountSemaphorePermits() throws Exception {
    ProcessSemaphore semaphore = ProcessSemaphore.create(2);
    ProcessSemaphore other = ProcessSemaphore.attach(semaphore.name());
    try {
      assertThat(semaphore.tryAcquire()).isTrue();
      assertThat(other.tryAcquire()).isTrue();
      assertThat(semaphore.tryAcquire()).isFalse();
      assertThat(other.tryAcquire(Duration.ofMillis(30))).isFalse();
      other.release();
      assertThat(semaphore.tryAcquire(Duration.ofSeconds(5))).isTrue();
      assertThat(semaphore.heldPermits()).isEqualTo(2);
      assertThatThrownBy(other::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("without a matching acquire");
      assertThatThrownBy(() -> ProcessSemaphore.create(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("permits must be at least 1: permits=0");
    } finally {
      other.close();
      semaphore.close();
      semaphore.unlink();
    }
  }

  @Test
  void shouldReleasePermitsWhenTheHolderCloses() throws Exception {
    ProcessSemaphore semaphore = ProcessSemaphore.create(1);
    ProcessSemaphore holder = ProcessSemaphore.attach(semaphore.name());
    try {
      holder.acquire();
      assertThat(semaphore.tryAcquire()).isFalse();
      holder.close(); // like a process exit: the kernel drops the record lock
      assertThat(semaphore.tryAcquire(Duration.ofSeconds(5))).isTrue();
    } finally {
      semaphore.close();
      semaphore.unlink();
    }
  }
}
