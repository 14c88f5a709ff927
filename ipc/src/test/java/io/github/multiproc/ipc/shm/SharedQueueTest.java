package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedQueueTest {

  private static SharedQueue<Long> longQueue(int capacity) {
    return SharedQueue.builder(MessageCodec.longs()).capacity(capacity).maxMessageBytes(8).create();
  }

  private static void destroy(SharedQueue<?> queue) {
    queue.unlink();
    queue.close();
  }

  @Test
  void shouldDeliverInFifoOrder() throws Exception {
    SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8()).capacity(8).maxMessageBytes(64).create();
    try {
      for (int i = 0; i < 20; i++) { // laps the ring several times
        queue.put("m" + i);
        queue.put("n" + i);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("m" + i);
        assertThat(queue.poll(Duration.ofSeconds(1))).isEqualTo("n" + i);
      }
      assertThat(queue.poll()).isNull();
      assertThat(queue.poll(Duration.ofMillis(5))).isNull();
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldRejectOversizeMessagesWithoutClaimingASlot() throws Exception {
    SharedQueue<byte[]> queue = SharedQueue.builder(MessageCodec.bytes()).capacity(2).maxMessageBytes(16).create();
    try {
      assertThatThrownBy(() -> queue.put(new byte[17])).isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("maxMessageBytes=16").hasMessageContaining("messageBytes=17");
      queue.put(new byte[16]);
      queue.put(new byte[0]);
      assertThat(queue.take()).hasSize(16);
      assertThat(queue.take()).isEmpty();
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldRejectBadConfiguration() {
    assertThatThrownBy(() -> SharedQueue.builder(MessageCodec.bytes()).capacity(3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be a power of 2 in [1, 2^30]: capacity=3");
    assertThatThrownBy(() -> SharedQueue.builder(MessageCodec.bytes()).maxMessageBytes(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageBytes=-1");
  }

  @Test
  void shouldFailProducersAndLetConsumersDrainAfterShutdown() throws Exception {
    SharedQueue<Long> queue = longQueue(4);
    try {
      queue.put(1L);
      queue.put(2L);
      queue.shutdown();
      assertThat(queue.isShutdown()).isTrue();
      assertThat(queue.isClosed()).isFalse(); // this handle still works
      assertThatThrownBy(() -> queue.put(3L)).isInstanceOf(QueueClosedException.class).hasMessageContaining("shut down");
      assertThatThrownBy(() -> queue.offer(3L)).isInstanceOf(QueueClosedException.class);
      assertThat(queue.take()).isEqualTo(1L);
      assertThat(queue.poll()).isEqualTo(2L);
      assertThatThrownBy(queue::take).isInstanceOf(QueueClosedException.class).hasMessageContaining("end of stream");
      assertThatThrownBy(queue::poll).isInstanceOf(QueueClosedException.class);
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldWakeBlockedConsumerOnShutdown() throws Exception {
    SharedQueue<Long> queue = longQueue(4);
    try {
      ConcurrentLinkedQueue<Throwable> seen = new ConcurrentLinkedQueue<>();
      Thread consumer = Thread.ofPlatform().name("multiproc-test-consumer-0").start(() -> {
        try {
          queue.take();
        } catch (Throwable t) {
          seen.add(t);
        }
      });
      org.awaitility.Awaitility.await().until(() -> consumer.getState() == Thread.State.RUNNABLE
          || consumer.getState() == Thread.State.TIMED_WAITING);
      queue.shutdown();
      consumer.join();
      assertThat(seen).singleElement().isInstanceOf(QueueClosedException.class);
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldTimeOutAndHonourInterrupts() throws Exception {
    SharedQueue<Long> queue = longQueue(1);
    try {
      assertThat(queue.offer(1L)).isTrue();
      assertThat(queue.offer(2L)).isFalse();
      assertThat(queue.offer(2L, Duration.ofMillis(20))).isFalse();
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> queue.put(2L)).isInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      assertThat(queue.take()).isEqualTo(1L);
    } finally {
      destroy(queue);
    }
  }

  /** Model-based: any sequence of offer/poll/size agrees with a bounded ArrayDeque after every step. */
  @Test
  void shouldBehaveLikeABoundedArrayDeque() {
    qt().withExamples(200).forAll(
        integers().between(0, 3),
        lists().of(integers().between(-2, 1000)).ofSizeBetween(0, 60)
    ).checkAssert((capacityLog2, operations) -> {
      int capacity = 1 << capacityLog2;
      SharedQueue<Long> queue = longQueue(capacity);
      try {
        ArrayDeque<Long> model = new ArrayDeque<>();
        for (int op : operations) {
          if (op >= 0) {
            boolean accepted = queue.offer((long) op);
            assertThat(accepted).as("offer(%d) with model %s", op, model).isEqualTo(model.size() < capacity);
            if (accepted) {
              model.addLast((long) op);
            }
          } else if (op == -1) {
            assertThat(queue.poll()).as("poll with model %s", model).isEqualTo(model.pollFirst());
          }
          assertThat(queue.size()).as("size with model %s", model).isEqualTo(model.size());
        }
      } finally {
        destroy(queue);
      }
    });
  }

  @Test
  void shouldLoseNothingWithManyThreadsOnBothSides() throws Exception {
    SharedQueue<Long> queue = longQueue(16);
    int producers = 3;
    int perProducer = 20_000;
    List<Thread> threads = new ArrayList<>();
    List<List<Long>> received = new ArrayList<>();
    try {
      for (int p = 0; p < producers; p++) {
        long base = (long) p << 32;
        threads.add(Thread.ofPlatform().name("multiproc-test-producer-" + p).start(() -> {
          try {
            for (int i = 0; i < perProducer; i++) {
              queue.put(base + i);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      for (int c = 0; c < 2; c++) {
        List<Long> mine = new ArrayList<>();
        received.add(mine);
        threads.add(Thread.ofPlatform().name("multiproc-test-consumer-" + c).start(() -> {
          try {
            while (true) {
              mine.add(queue.take());
            }
          } catch (QueueClosedException endOfStream) {
            // drained
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      for (int p = 0; p < producers; p++) {
        threads.get(p).join();
      }
      queue.shutdown();
      for (Thread thread : threads) {
        thread.join();
      }
      QueueChecks.assertExactlyOnceAndFifoPerProducer(received, producers, perProducer);
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldSkipTheSlotOfAProducerThatDiedMidPut() throws Exception {
    SharedQueue<Long> queue = longQueue(4);
    try {
      queue.put(1L);
      long position = queue.claimForWrite(false); // "dies" here: claimed, never committed
      markOwnedBy(queue, position, QueueDescriptor.WRITING, TestJvms.deadPid());
      queue.put(3L);
      assertThat(queue.take()).isEqualTo(1L);
      assertThat(queue.poll(Duration.ofSeconds(5))).isEqualTo(3L);
      assertThat(queue.poll()).isNull();
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldFreeTheSlotOfAConsumerThatDiedMidTake() throws Exception {
    SharedQueue<Long> queue = longQueue(2);
    try {
      queue.put(1L);
      queue.put(2L);
      long position = queue.claimForRead(false); // "dies" here with message 1
      markOwnedBy(queue, position, QueueDescriptor.READING, TestJvms.deadPid());
      assertThat(queue.offer(3L, Duration.ofSeconds(5))).isTrue(); // needs the dead reader's slot
      assertThat(queue.take()).isEqualTo(2L);
      assertThat(queue.take()).isEqualTo(3L);
    } finally {
      destroy(queue);
    }
  }

  @Test
  void shouldUseNoCpuWhileWaitingOnAnEmptyQueue() throws Exception {
    SharedQueue<Long> queue = longQueue(4);
    try {
      long cpuBefore = threadCpuNanos();
      long wallBefore = System.nanoTime();
      assertThat(queue.poll(Duration.ofMillis(400))).isNull(); // spins 50 µs, then sleeps on the futex
      long cpu = threadCpuNanos() - cpuBefore;
      assertThat(System.nanoTime() - wallBefore).isGreaterThanOrEqualTo(400_000_000L);
      // A spinning wait would use all 400 ms; the clock has 10 ms ticks.
      assertThat(cpu).as("CPU time of this thread while waiting 400 ms, ns").isLessThan(100_000_000L);
    } finally {
      destroy(queue);
    }
  }

  /**
   * CPU time (user + system) of the calling thread from {@code /proc/thread-self/stat} (fields
   * 14 and 15, in 10 ms clock ticks); {@code java.lang.management} is not readable by this module.
   * Elsewhere: the whole process's CPU time, a looser but still failing-when-spinning bound.
   */
  private static long threadCpuNanos() throws java.io.IOException {
    java.nio.file.Path stat = java.nio.file.Path.of("/proc/thread-self/stat");
    if (!java.nio.file.Files.exists(stat)) {
      return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
    String line = java.nio.file.Files.readString(stat);
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  record Point(int x, int y) implements java.io.Serializable {}

  @Test
  void shouldCarryObjectsThroughTheIpcCodecAndTravelAsAHandle() throws Exception {
    SharedQueue<Point> queue = SharedQueue.builder(MessageCodec.serialized(Point.class)).capacity(4).create();
    try {
      SharedQueue<Point> copy = SharedMemoryTest.roundTrip(queue); // attaches the same ring
      try {
        copy.put(new Point(1, 2));
        assertThat(queue.take()).isEqualTo(new Point(1, 2));
        assertThat(copy.name()).isEqualTo(queue.name());
      } finally {
        copy.close();
      }
    } finally {
      destroy(queue);
    }
  }

  static void markOwnedBy(SharedQueue<?> queue, long position, long tag, long pid) {
    try (SharedMemory memory = SharedMemory.attach(queue.name())) {
      long stride = QueueDescriptor.stride(queue.maxMessageBytes());
      long slot = QueueDescriptor.SLOTS_OFFSET + (position % queue.capacity()) * stride;
      Atomics.LONG.setVolatile(memory.segment(), slot, QueueDescriptor.state(tag, pid, position));
    }
  }
}
