package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.spi.ChunkResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The worker's number path against the general codec: a {@link NumberResults} payload is byte for
 * byte what {@link ResultsCodec#encode} writes for the same {@code Integer}s, {@code Long}s or
 * {@code Double}s, a value that does not fit the run is refused without a trace, and
 * {@link ItemsDecoder#numberRunBody} takes exactly the well-formed INT, LONG and DOUBLE runs a
 * TASKS payload can hold.
 */
class NumberResultsTest {

  /** Doubles with the special ones often: NaNs of other bit patterns, -0.0, infinities. */
  private static final Gen<Double> DOUBLES = doubles().any()
      .mix(longs().all().map(Double::longBitsToDouble), 30)
      .mix(integers().between(0, 4).map(k -> new double[] {-0.0, Double.NaN, Double.POSITIVE_INFINITY,
          Double.MIN_VALUE, Double.longBitsToDouble(0x7ff8_0000_dead_beefL)}[k]), 20);

  @Test
  void shouldWriteTheBytesTheGeneralEncoderWritesForTheSameInts() {
    qt().forAll(lists().of(integers().all()).ofSizeBetween(1, 300), longs().all())
        .checkAssert((values, nanos) -> assertSameBytesAsTheGeneralEncoder(values, nanos));
  }

  @Test
  void shouldWriteTheBytesTheGeneralEncoderWritesForTheSameLongs() {
    qt().forAll(lists().of(longs().all()).ofSizeBetween(1, 300), longs().all())
        .checkAssert((values, nanos) -> assertSameBytesAsTheGeneralEncoder(values, nanos));
  }

  @Test
  void shouldWriteTheBytesTheGeneralEncoderWritesForTheSameDoubles() {
    qt().forAll(lists().of(DOUBLES).ofSizeBetween(1, 300), longs().all())
        .checkAssert((values, nanos) -> assertSameBytesAsTheGeneralEncoder(values, nanos));
  }

  @Test
  void shouldRefuseAValueOfAnotherTypeThanTheFirstAndWriteNothingForIt() {
    List<Object> others = List.of(7L, 7.0, 7, "7", (short) 7, 7.0f);
    qt().forAll(integers().between(0, 2), integers().between(0, others.size() - 1), integers().between(2, 50))
        .checkAssert((firstKind, other, n) -> {
          Object first = others.get(firstKind);
          NumberResults out = new NumberResults(n, Integer.MAX_VALUE);
          assertThat(out.set(0, first)).isTrue();
          byte[] before = out.finish(0).clone();
          Object odd = others.get(other);

          boolean put = out.set(1, odd);

          assertThat(put).isEqualTo(odd.getClass() == first.getClass());
          if (!put) {
            assertThat(out.finish(0)).as("nothing written for a refused value").isEqualTo(before);
          }
          assertThat(out.set(1, null)).as("null is never a number of the run").isFalse();
        });
  }

  @Test
  void shouldRefuseAFirstValueThatIsNoNumberOrWhoseRunWouldPassTheLimit() {
    assertThat(new NumberResults(3, Integer.MAX_VALUE).set(0, "x")).isFalse();
    assertThat(new NumberResults(3, Integer.MAX_VALUE).set(0, null)).isFalse();
    assertThat(new NumberResults(3, Integer.MAX_VALUE).set(0, (short) 1)).isFalse();
    long intsFit = NumberResults.bytes(3, 4);
    assertThat(new NumberResults(3, intsFit).set(0, 1)).isTrue();
    assertThat(new NumberResults(3, intsFit).set(0, 1L)).as("longs need twice the bytes").isFalse();
    assertThat(new NumberResults(3, intsFit - 1).set(0, 1)).isFalse();
    assertThatThrownBy(() -> new NumberResults(3, intsFit).finish(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldBeReadByTheParentAsAnyAnswer() throws Exception {
    NumberResults ints = new NumberResults(3, Integer.MAX_VALUE);
    ints.set(0, -7);
    ints.set(1, 0);
    ints.set(2, Integer.MAX_VALUE);
    NumberResults longs = new NumberResults(2, Integer.MAX_VALUE);
    longs.set(0, Long.MIN_VALUE);
    longs.set(1, 1L << 40);

    ChunkResult<Object> readInts = new ChunkResult<>(3);
    ResultsCodec.Decoded d = ResultsCodec.decodeInto(ints.finish(42), JdkCodec.create(), readInts, 0, 3);
    ChunkResult<Object> readLongs = new ChunkResult<>(2);
    ResultsCodec.decodeInto(longs.finish(1), JdkCodec.create(), readLongs, 0, 2);

    assertThat(d.count()).isEqualTo(3);
    assertThat(d.executionNanos()).isEqualTo(42);
    assertThat(List.of(readInts.value(0), readInts.value(1), readInts.value(2))).containsExactly(-7, 0, Integer.MAX_VALUE);
    assertThat(readInts.isIntValued()).isTrue();
    assertThat(List.of(readLongs.value(0), readLongs.value(1))).containsExactly(Long.MIN_VALUE, 1L << 40);
    assertThat(readLongs.isLongValued()).as("longs stay longs: no Long per result").isTrue();

    NumberResults doubles = new NumberResults(2, Integer.MAX_VALUE);
    doubles.set(0, -0.0);
    doubles.set(1, Double.NaN);
    ChunkResult<Object> readDoubles = new ChunkResult<>(2);
    ResultsCodec.decodeInto(doubles.finish(1), JdkCodec.create(), readDoubles, 0, 2);
    assertThat(readDoubles.isDoubleValued()).isTrue();
    assertThat(List.of(readDoubles.value(0), readDoubles.value(1))).containsExactly(-0.0, Double.NaN);
  }

  @Test
  void shouldRefuseAnEmptyBatch() {
    assertThatThrownBy(() -> new NumberResults(0, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReadEveryNumericRunInPlaceAsTheGeneralDecoderDoes() {
    qt().forAll(integers().between(0, 2), integers().between(1, 200), longs().all()).checkAssert((kind, n, seed) -> {
      List<Object> items = new ArrayList<>();
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
      for (int i = 0; i < n; i++) {
        long bits = random.nextLong();
        items.add(kind == 0 ? (Object) (int) bits : kind == 1 ? (Object) bits : (Object) Double.longBitsToDouble(bits));
      }
      byte[] tasks = tasksOf(items);
      int block = ParentMessage.Tasks.ITEMS_OFFSET;

      int body = ItemsDecoder.numberRunBody(tasks, block, n);

      assertThat(body).isEqualTo(block + ItemsDescriptor.HEADER_LENGTH);
      for (int i = 0; i < n; i++) {
        Object read = ItemsDecoder.numberAt(tasks, tasks[block], body, i);
        assertThat(read).isInstanceOf(items.get(i).getClass());
        if (read instanceof Double d) { // NaN payloads too: the same bits
          assertThat(Double.doubleToRawLongBits(d)).isEqualTo(Double.doubleToRawLongBits((Double) items.get(i)));
        } else {
          assertThat(read).isEqualTo(items.get(i));
        }
      }
    });
  }

  @Test
  void shouldFindTheBodyOfAWellFormedNumericRunOnly() {
    byte[] tasks = tasksOf(List.of(5, -1, 1 << 30));
    int block = ParentMessage.Tasks.ITEMS_OFFSET;
    assertThat(tasks[block]).isEqualTo(FastPathTags.INT);

    assertThat(ItemsDecoder.numberRunBody(tasks, block, 3)).isEqualTo(block + ItemsDescriptor.HEADER_LENGTH);
    assertThat(ItemsDecoder.numberRunBody(tasks, block, 2)).as("another count").isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(Arrays.copyOf(tasks, tasks.length - 1), block, 3)).as("truncated")
        .isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(Arrays.copyOf(tasks, tasks.length + 1), block, 3)).as("trailing byte")
        .isEqualTo(-1);
    byte[] counted = tasks.clone();
    counted[block + ItemsDescriptor.COUNT_OFFSET + 3] = 2; // the block says 2 items
    assertThat(ItemsDecoder.numberRunBody(counted, block, 3)).as("the block's own count differs").isEqualTo(-1);
    byte[] longs = tasksOf(List.of(5L, 6L));
    assertThat(ItemsDecoder.numberRunBody(longs, block, 2)).as("longs").isEqualTo(block + ItemsDescriptor.HEADER_LENGTH);
    assertThat(ItemsDecoder.numberRunBody(Arrays.copyOf(longs, longs.length - 4), block, 2))
        .as("longs read with an int's width").isEqualTo(-1);
    byte[] relabelled = longs.clone();
    relabelled[block] = FastPathTags.INT;
    assertThat(ItemsDecoder.numberRunBody(relabelled, block, 2)).as("a LONG run's bytes called INT").isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(tasksOf(List.of(0.5, 2.0)), block, 2)).as("doubles").isPositive();
    assertThat(ItemsDecoder.numberRunBody(tasksOf(List.of("a", "b")), block, 2)).as("strings").isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(tasksOf(Arrays.asList(5, null)), block, 2)).as("a null").isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(tasksOf(List.of(5, 6L)), block, 2)).as("mixed").isEqualTo(-1);
    assertThat(ItemsDecoder.numberRunBody(new byte[block + 2], block, 1)).as("no header").isEqualTo(-1);
  }

  private static void assertSameBytesAsTheGeneralEncoder(List<?> values, long nanos) {
    assertSameBytesAsTheGeneralEncoder(values, nanos, false);
    assertSameBytesAsTheGeneralEncoder(values, nanos, true);
  }

  /** With {@code unchecked}, items after the first go through the loops' setters without a type test. */
  private static void assertSameBytesAsTheGeneralEncoder(List<?> values, long nanos, boolean unchecked) {
    NumberResults out = new NumberResults(values.size(), Integer.MAX_VALUE);
    assertThat(out.set(0, values.getFirst())).isTrue();
    assertThat(out.isInts()).isEqualTo(values.getFirst() instanceof Integer);
    assertThat(out.isLongs()).isEqualTo(values.getFirst() instanceof Long);
    for (int i = 1; i < values.size(); i++) {
      if (unchecked && values.get(i) instanceof Integer v) {
        out.setInt(i, v);
      } else if (unchecked && values.get(i) instanceof Long v) {
        out.setLong(i, v);
      } else {
        assertThat(out.set(i, values.get(i))).isTrue();
      }
    }
    for (int i = 0; i < values.size(); i++) {
      assertThat(out.get(i)).isInstanceOf(values.get(i).getClass());
    }
    byte[] general = ResultsCodec.encode(values.toArray(), new Throwable[values.size()], nanos, JdkCodec.create());

    byte[] inPlace = out.finish(nanos);

    int width = values.getFirst() instanceof Integer ? 4 : 8;
    assertThat(inPlace).isEqualTo(general).hasSize((int) NumberResults.bytes(values.size(), width));
  }

  private static byte[] tasksOf(List<?> items) {
    return ParentMessage.Tasks.encode(1, 0, items, JdkCodec.create()).finish();
  }
}
