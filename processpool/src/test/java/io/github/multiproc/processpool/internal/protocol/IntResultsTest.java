package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.spi.ChunkResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker's int path against the general codec: an {@link IntResults} payload is byte for
 * byte what {@link ResultsCodec#encode} writes for the same {@code Integer}s, and
 * {@link ItemsDecoder#intRunBody} takes exactly the well-formed INT runs a TASKS payload can hold.
 */
class IntResultsTest {

  @Test
  void shouldWriteTheBytesTheGeneralEncoderWritesForTheSameInts() {
    qt().forAll(lists().of(integers().all()).ofSizeBetween(1, 300), longs().all()).checkAssert((values, nanos) -> {
      IntResults out = new IntResults(values.size());
      for (int i = 0; i < values.size(); i++) {
        out.set(i, values.get(i));
      }
      for (int i = 0; i < values.size(); i++) {
        assertThat(out.get(i)).isEqualTo(values.get(i));
      }
      byte[] general = ResultsCodec.encode(values.toArray(), new Throwable[values.size()], nanos, JdkCodec.create());

      byte[] inPlace = out.finish(nanos);

      assertThat(inPlace).isEqualTo(general).hasSize((int) IntResults.bytes(values.size()));
    });
  }

  @Test
  void shouldBeReadByTheParentAsAnyAnswer() throws Exception {
    IntResults out = new IntResults(3);
    out.set(0, -7);
    out.set(2, Integer.MAX_VALUE);

    ChunkResult<Object> read = new ChunkResult<>(3);
    ResultsCodec.Decoded d = ResultsCodec.decodeInto(out.finish(42), JdkCodec.create(), read, 0, 3);

    assertThat(d.count()).isEqualTo(3);
    assertThat(d.executionNanos()).isEqualTo(42);
    assertThat(List.of(read.value(0), read.value(1), read.value(2))).containsExactly(-7, 0, Integer.MAX_VALUE);
    assertThat(read.isIntValued()).isTrue();
  }

  @Test
  void shouldRefuseAnEmptyBatch() {
    assertThatThrownBy(() -> new IntResults(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldFindTheBodyOfAWellFormedIntRunOnly() {
    byte[] tasks = tasksOf(List.of(5, -1, 1 << 30));
    int block = ParentMessage.Tasks.ITEMS_OFFSET;
    assertThat(tasks[block]).isEqualTo(FastPathTags.INT);

    int body = ItemsDecoder.intRunBody(tasks, block, 3);

    assertThat(body).isEqualTo(block + ItemsDescriptor.HEADER_LENGTH);
    assertThat(List.of(ItemsDecoder.intAt(tasks, body, 0), ItemsDecoder.intAt(tasks, body, 1),
        ItemsDecoder.intAt(tasks, body, 2))).containsExactly(5, -1, 1 << 30);
    assertThat(ItemsDecoder.intRunBody(tasks, block, 2)).as("another count").isEqualTo(-1);
    assertThat(ItemsDecoder.intRunBody(Arrays.copyOf(tasks, tasks.length - 1), block, 3)).as("truncated")
        .isEqualTo(-1);
    assertThat(ItemsDecoder.intRunBody(Arrays.copyOf(tasks, tasks.length + 1), block, 3)).as("trailing byte")
        .isEqualTo(-1);
    byte[] counted = tasks.clone();
    counted[block + ItemsDescriptor.COUNT_OFFSET + 3] = 2; // the block says 2 items
    assertThat(ItemsDecoder.intRunBody(counted, block, 3)).as("the block's own count differs").isEqualTo(-1);
    assertThat(ItemsDecoder.intRunBody(tasksOf(List.of(5L, 6L)), block, 2)).as("longs").isEqualTo(-1);
    assertThat(ItemsDecoder.intRunBody(tasksOf(Arrays.asList(5, null)), block, 2)).as("a null").isEqualTo(-1);
    assertThat(ItemsDecoder.intRunBody(new byte[block + 2], block, 1)).as("no header").isEqualTo(-1);
  }

  private static byte[] tasksOf(List<?> items) {
    return ParentMessage.Tasks.encode(1, 0, items, JdkCodec.create()).finish();
  }
}
