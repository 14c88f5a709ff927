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

  private static ChunkResult<Object> longs(long... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length);
    for (long v : values) {
      b.putLong(v);
    }
    return new ChunkResult<>(values.length).succeedLongs(b.array(), 0);
  }

  private static ChunkResult<Object> doubles(double... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length);
    for (double v : values) {
      b.putDouble(v);
    }
    return new ChunkResult<>(values.length).succeedDoubles(b.array(), 0);
  }

  @Test
  void shouldAnswerOnlyLongChunksWithAListOverLongsAndDoubleChunksWithOneOverDoubles() {
    ResultSlots slots = new ResultSlots(4);
    slots.deliver(2, longs(3L << 40, -4));
    slots.deliver(0, longs(1, 2));
    assertThat(slots.<Object>list(4)).isInstanceOf(BoxingResultList.class).containsExactly(1L, 2L, 3L << 40, -4L);

    ResultSlots d = new ResultSlots(3);
    d.deliver(0, doubles(0.5, -0.0));
    d.deliver(2, doubles(Double.NaN));
    assertThat(d.<Object>list(3)).isInstanceOf(BoxingResultList.class).containsExactly(0.5, -0.0, Double.NaN);
  }

  @Test
  void shouldBoxWhenChunksBringNumbersOfDifferentKinds() {
    ResultSlots slots = new ResultSlots(6);
    slots.deliver(0, ints(1, 2));
    slots.deliver(2, longs(3, 4)); // ints then longs: boxed, each as it came
    slots.deliver(4, doubles(5, 6));
    assertThat(slots.<Object>list(6)).containsExactly(1, 2, 3L, 4L, 5.0, 6.0);

    ResultSlots longsFirst = new ResultSlots(4);
    longsFirst.deliver(0, longs(1, 2));
    Object[] target = new Object[4];
    longsFirst.copyTo(0, 2, target);
    assertThat(target).containsExactly(1L, 2L, null, null);
    longsFirst.deliver(2, ints(3, 4));
    assertThat(longsFirst.<Object>list(4)).containsExactly(1L, 2L, 3, 4);
  }
}
