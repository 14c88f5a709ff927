package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

class ChunkSizerTest {

  @Test
  void shouldFollowPythonsRuleForKnownTotals() {
    assertThat(ChunkSizer.forKnownTotal(100_000, 2, Integer.MAX_VALUE).next()).isEqualTo(12_500);
    assertThat(ChunkSizer.forKnownTotal(10, 4, Integer.MAX_VALUE).next()).isEqualTo(1);
    assertThat(ChunkSizer.forKnownTotal(0, 4, Integer.MAX_VALUE).next()).isEqualTo(1);
    assertThat(ChunkSizer.forKnownTotal(10_000_000, 2, 4096).next()).isEqualTo(4096);
  }

  @Test
  void shouldAdaptToTheMeasuredTimePerItemWithinBounds() {
    qt().forAll(longs().between(1, 50_000_000), integers().between(1, 5000))
        .checkAssert((nanosPerItem, cap) -> {
          ChunkSizer sizer = ChunkSizer.adaptive(cap);
          assertThat(sizer.next()).isEqualTo(1);
          int previous = 1;
          for (int i = 0; i < 40; i++) {
            sizer.record(previous, nanosPerItem * previous);
            int next = sizer.next();
            assertThat(next).isBetween(1, cap).isLessThanOrEqualTo(2 * previous);
            previous = next;
          }
          long wanted = Math.max(1, Math.min(cap, ChunkSizer.TARGET_CHUNK_NANOS / nanosPerItem));
          assertThat((long) previous).isBetween(wanted / 2, wanted + 1);
        });
  }
}
