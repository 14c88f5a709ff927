package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The intrusive hand-off queue under concurrent producers: every element arrives exactly once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionQueueTest {

  private static final class Item extends CompletionQueue.Node {
    final int id;

    Item(int id) {
      this.id = id;
    }
  }

  @Test
  void shouldDeliverEveryElementOnceFromManyProducers() throws Exception {
    int producers = 4;
    int each = 50_000;
    CompletionQueue<Item> queue = new CompletionQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          queue.add(new Item(base + i));
        }
      }));
    }
    go.countDown();
    BitSet seen = new BitSet(producers * each);
    int[] lastPerProducer = new int[producers];
    java.util.Arrays.fill(lastPerProducer, -1);
    for (int n = 0; n < producers * each; n++) {
      Item item = queue.take();
      assertThat(seen.get(item.id)).as("element %d delivered twice", item.id).isFalse();
      seen.set(item.id);
      int producer = item.id / each;
      assertThat(item.id).as("one producer's elements in its order").isGreaterThan(lastPerProducer[producer]);
      lastPerProducer[producer] = item.id;
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen.cardinality()).isEqualTo(producers * each);
  }

  @Test
  void shouldThrowWhenInterruptedWhileWaiting() {
    CompletionQueue<Item> queue = new CompletionQueue<>();
    Thread.currentThread().interrupt();
    assertThatThrownBy(queue::take).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse(); // reported by the exception
  }
}
