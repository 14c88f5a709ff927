package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.spi.ChunkResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slots of a map's results: ints while every chunk brings ints, boxed once one does not. */
class ResultSlotsTest {

  private static ChunkResult<Object> ints(int... values) {
    ChunkResult<Object> r = new ChunkResult<>(values.length);
    for (int i = 0; i < values.length; i++) {
      r.succeedInt(i, values[i]);
    }
    return r;
  }

  @Test
  void shouldAnswerOnlyIntChunksWithAListOverInts() {
    ResultSlots slots = new ResultSlots(4);
    slots.deliver(2, ints(30, 40));
    slots.deliver(0, ints(10, 20));
    List<Object> list = slots.list(4);
    assertThat(list).isInstanceOf(IntResultList.class).containsExactly(10, 20, 30, 40);
    assertThat(slots.<Object>list(3)).as("the map read fewer inputs than it expected").containsExactly(10, 20, 30);
  }

  @Test
  void shouldBoxTheIntsDeliveredBeforeAChunkOfOtherValues() {
    ResultSlots slots = new ResultSlots(6);
    slots.deliver(0, ints(1, 2));
    slots.deliver(2, new ChunkResult<>(2).succeed(0, "a").succeed(1, null));
    slots.deliver(4, ints(5, 6)); // after the switch: boxed as they come
    assertThat(slots.<Object>list(6)).containsExactly(1, 2, "a", null, 5, 6);
  }

  @Test
  void shouldCopyARangeBoxedWhicheverFormItHolds() {
    ResultSlots slots = new ResultSlots(4);
    slots.deliver(0, ints(7, 8, 9, 10));
    Object[] target = new Object[8];
    slots.copyTo(1, 2, target);
    assertThat(target).containsExactly(null, 8, 9, null, null, null, null, null);
    slots.deliver(0, new ChunkResult<>(1).succeed(0, "x"));
    slots.copyTo(0, 4, target);
    assertThat(target).startsWith("x", 8, 9, 10);
  }

  @Test
  void shouldAnswerAnEmptyMapWithAnEmptyList() {
    assertThat(new ResultSlots(0).<Object>list(0)).isEmpty();
  }
}
