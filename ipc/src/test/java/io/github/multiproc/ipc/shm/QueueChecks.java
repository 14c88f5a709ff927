package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on messages encoded as {@code producer << 32 | sequence}. */
final class QueueChecks {

  private QueueChecks() {}

  /** Every message exactly once, and each consumer saw each producer's messages in order. */
  static void assertExactlyOnceAndFifoPerProducer(List<List<Long>> perConsumer, int producers, int perProducer) {
    assertFifoPerProducer(perConsumer);
    List<Long> all = new ArrayList<>();
    perConsumer.forEach(all::addAll);
    assertThat(all).doesNotHaveDuplicates().hasSize(producers * perProducer);
    // size + no duplicates + every value in range = every message exactly once
    assertThat(all).allSatisfy(m -> {
      assertThat(m >>> 32).isLessThan(producers);
      assertThat(m & 0xFFFF_FFFFL).isLessThan(perProducer);
    });
  }

  static void assertFifoPerProducer(List<List<Long>> perConsumer) {
    for (List<Long> messages : perConsumer) {
      Map<Long, Long> last = new HashMap<>();
      for (long m : messages) {
        Long previous = last.put(m >>> 32, m & 0xFFFF_FFFFL);
        assertThat(previous == null || previous < (m & 0xFFFF_FFFFL))
            .as("FIFO per producer: producer %d sent %d after %d", m >>> 32, m & 0xFFFF_FFFFL, previous).isTrue();
      }
    }
  }
}
