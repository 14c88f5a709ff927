package io.github.multiproc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chunk's outcome: ints, longs and doubles stay unboxed until something else is recorded; nothing is lost either way. */
class ChunkResultTest {

  @Test
  void shouldHoldIntsUnboxedAndAnswerThemBoxed() {
    ChunkResult<Integer> r = new ChunkResult<Integer>(3).succeedInt(0, 7).succeedInt(1, -1).succeedInt(2, 1 << 30);
    assertThat(r.isIntValued()).isTrue();
    assertThat(r.value(0)).isEqualTo(7);
    assertThat(r.value(2)).isEqualTo(1 << 30);
    assertThat(r.firstFailure()).isEqualTo(-1);
    int[] copy = new int[5];
    r.copyIntsTo(copy, 1);
    assertThat(copy).containsExactly(0, 7, -1, 1 << 30, 0);
  }

  @Test
  void shouldBoxEveryIntOnceAnotherValueIsRecorded() {
    ChunkResult<Object> r = new ChunkResult<>(3).succeedInt(0, 5).succeedInt(1, 6);
    r.succeed(2, "text");
    assertThat(r.isIntValued()).isFalse();
    Object[] out = new Object[3];
    r.copyValuesTo(out, 0);
    assertThat(out).containsExactly(5, 6, "text");
    r.succeedInt(2, 9); // after boxing, an int is stored boxed
    assertThat(r.value(2)).isEqualTo(9);
    assertThatThrownBy(() -> r.copyIntsTo(new int[3], 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldKeepTheOtherIntsAndNullTheValueOfAFailedItem() {
    ChunkResult<Integer> r = new ChunkResult<Integer>(3).succeedInt(0, 1).succeedInt(1, 2).succeedInt(2, 3);
    IllegalStateException boom = new IllegalStateException("boom");
    r.fail(1, boom);
    assertThat(r.isIntValued()).as("a failure ends the int form").isFalse();
    assertThat(r.firstFailure()).isEqualTo(1);
    assertThat(r.failure(1)).isSameAs(boom);
    assertThat(r.value(1)).isNull();
    assertThat(r.value(0)).isEqualTo(1);
    assertThat(r.value(2)).isEqualTo(3);
    r.succeedInt(1, 20); // a retried item's value replaces its failure
    assertThat(r.failed(1)).isFalse();
    assertThat(r.value(1)).isEqualTo(20);
  }

  @Test
  void shouldPutPartsTogetherIntsStayingIntsAndAnythingElseBoxed() {
    ChunkResult<Object> whole = new ChunkResult<>(6);
    whole.putAll(0, new ChunkResult<>(2).succeedInt(0, 1).succeedInt(1, 2));
    whole.putAll(4, new ChunkResult<>(2).succeedInt(0, 5).succeedInt(1, 6));
    assertThat(whole.isIntValued()).isTrue();
    RuntimeException boom = new RuntimeException("boom");
    whole.putAll(2, new ChunkResult<>(2).succeed(0, "three").fail(1, boom));
    assertThat(whole.isIntValued()).isFalse();
    Object[] out = new Object[6];
    whole.copyValuesTo(out, 0);
    assertThat(out).containsExactly(1, 2, "three", null, 5, 6);
    assertThat(whole.failure(3)).isSameAs(boom);
    assertThat(whole.firstFailure()).isEqualTo(3);
  }

  @Test
  void shouldRefuseIndicesAndPartsOutsideItsSize() {
    ChunkResult<Object> r = new ChunkResult<>(2);
    assertThatThrownBy(() -> r.succeedInt(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> r.succeed(-1, "x")).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> r.putAll(1, new ChunkResult<>(2).succeedInt(0, 1).succeedInt(1, 2)))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(Arrays.asList(r.value(0), r.value(1))).containsOnlyNulls();
  }

  private static byte[] bigEndian(int... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3 + 4 * values.length);
    b.position(3); // the values need not start at 0
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  @Test
  void shouldReadIntsFromBorrowedBytesAndKeepThemWhenTheResultChanges() {
    byte[] bytes = bigEndian(1, -2, Integer.MIN_VALUE);
    ChunkResult<Object> r = new ChunkResult<>(3).succeedInts(bytes, 3);
    assertThat(r.isIntValued()).isTrue();
    assertThat(r.value(1)).isEqualTo(-2);
    int[] copy = new int[4];
    r.copyIntsTo(copy, 1);
    assertThat(copy).containsExactly(0, 1, -2, Integer.MIN_VALUE);

    r.succeedInt(0, 10); // an int after the bytes: copied out first, the bytes are left alone
    Arrays.fill(bytes, (byte) 0x7f);
    assertThat(Arrays.asList(r.value(0), r.value(1), r.value(2))).containsExactly(10, -2, Integer.MIN_VALUE);

    ChunkResult<Object> boxed = new ChunkResult<>(3).succeedInts(bigEndian(4, 5, 6), 3).succeed(2, "x");
    assertThat(Arrays.asList(boxed.value(0), boxed.value(1), boxed.value(2))).containsExactly(4, 5, "x");

    ChunkResult<Object> whole = new ChunkResult<>(5).succeedInt(0, 9);
    whole.putAll(2, new ChunkResult<>(3).succeedInts(bigEndian(7, 8, 9), 3));
    Object[] out = new Object[5];
    whole.copyValuesTo(out, 0);
    assertThat(out).containsExactly(9, 0, 7, 8, 9);

    ChunkResult<Object> notFresh = new ChunkResult<>(2).succeedInt(1, 3).succeedInts(bigEndian(11, 12), 3);
    assertThat(Arrays.asList(notFresh.value(0), notFresh.value(1))).containsExactly(11, 12);
    assertThatThrownBy(() -> new ChunkResult<>(4).succeedInts(bigEndian(1, 2, 3), 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void shouldReadLongsAndDoublesFromBorrowedBytesAndBoxThemOnlyWhenSomethingElseIsRecorded() {
    byte[] longs = ByteBuffer.allocate(2 + 24).putShort((short) 0).putLong(Long.MIN_VALUE).putLong(-1).putLong(1L << 40)
        .array();
    ChunkResult<Object> r = new ChunkResult<>(3).succeedLongs(longs, 2);
    assertThat(r.isLongValued()).isTrue();
    assertThat(r.isIntValued()).isFalse();
    assertThat(r.isDoubleValued()).isFalse();
    assertThat(r.value(0)).isEqualTo(Long.MIN_VALUE);
    long[] copy = new long[4];
    r.copyLongsTo(copy, 1);
    assertThat(copy).containsExactly(0, Long.MIN_VALUE, -1, 1L << 40);
    assertThatThrownBy(() -> r.copyIntsTo(new int[3], 0)).isInstanceOf(IllegalStateException.class);

    r.succeedInt(1, 5); // an int among longs: everything boxed, each as it was
    assertThat(r.isLongValued()).isFalse();
    Arrays.fill(longs, (byte) 0x7f);
    assertThat(Arrays.asList(r.value(0), r.value(1), r.value(2))).containsExactly(Long.MIN_VALUE, 5, 1L << 40);

    byte[] doubles = ByteBuffer.allocate(16).putDouble(-0.0).putDouble(Double.NaN).array();
    ChunkResult<Object> d = new ChunkResult<>(2).succeedDoubles(doubles, 0);
    assertThat(d.isDoubleValued()).isTrue();
    double[] dcopy = new double[2];
    d.copyDoublesTo(dcopy, 0);
    assertThat(Double.doubleToRawLongBits(dcopy[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(dcopy[1]).isNaN();
    d.fail(0, new IllegalStateException("boom"));
    assertThat(d.isDoubleValued()).isFalse();
    assertThat(d.value(1)).isEqualTo(Double.NaN);
    assertThatThrownBy(() -> new ChunkResult<>(3).succeedLongs(new byte[23], 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * A model of the result: any sequence of records (bulk ints, longs or doubles, one int, one
   * value, one failure, a part put in) leaves exactly the values and failures a plain array of
   * boxed values and failures would hold, and a numeric form only while every value is of it.
   */
  @Test
  void shouldHoldWhatAPlainArrayWouldWhateverTheOrderOfRecords() {
    qt().forAll(integers().between(1, 6), lists().of(integers().between(0, 1 << 20)).ofSizeBetween(0, 8))
        .checkAssert((size, ops) -> {
          ChunkResult<Object> r = new ChunkResult<>(size);
          Object[] values = new Object[size];
          Throwable[] failures = new Throwable[size];
          boolean[] recorded = new boolean[size]; // an item never recorded has no specified value
          for (int op : ops) {
            int i = (op >>> 4) % size;
            int seed = op >>> 8;
            switch (op & 7) {
              case 0, 1, 2 -> {
                ByteBuffer b = ByteBuffer.allocate(8 * size);
                for (int k = 0; k < size; k++) {
                  Object v = switch (op & 7) {
                    case 0 -> (Object) (seed + k);
                    case 1 -> (Object) ((long) (seed + k) << 33);
                    default -> (Object) ((seed + k) / 3.0);
                  };
                  values[k] = v;
                  failures[k] = null;
                  recorded[k] = true;
                  if (v instanceof Integer x) {
                    b.putInt(x);
                  } else if (v instanceof Long x) {
                    b.putLong(x);
                  } else {
                    b.putDouble((Double) v);
                  }
                }
                switch (op & 7) {
                  case 0 -> r.succeedInts(b.array(), 0);
                  case 1 -> r.succeedLongs(b.array(), 0);
                  default -> r.succeedDoubles(b.array(), 0);
                }
              }
              case 3 -> {
                r.succeedInt(i, seed);
                values[i] = seed;
                failures[i] = null;
                recorded[i] = true;
              }
              case 4 -> {
                r.succeed(i, "v" + seed);
                values[i] = "v" + seed;
                failures[i] = null;
                recorded[i] = true;
              }
              case 5 -> {
                IllegalStateException e = new IllegalStateException("f" + seed);
                r.fail(i, e);
                values[i] = null;
                failures[i] = e;
                recorded[i] = true;
              }
              default -> {
                ChunkResult<Object> part = new ChunkResult<>(1);
                Object v = (op & 1) == 0 ? (Object) seed : (Object) (long) seed;
                if (v instanceof Integer x) {
                  part.succeedInt(0, x);
                } else {
                  part.succeedLongs(ByteBuffer.allocate(8).putLong((Long) v).array(), 0);
                }
                r.putAll(i, part);
                values[i] = v;
                failures[i] = null;
                recorded[i] = true;
              }
            }
          }
          Object[] copied = new Object[size];
          r.copyValuesTo(copied, 0);
          List<Object> all = new java.util.ArrayList<>();
          for (int i = 0; i < size; i++) {
            assertThat(r.failure(i)).isSameAs(failures[i]);
            if (recorded[i]) {
              assertThat(r.value(i)).as("value %d after %s", i, ops).isEqualTo(values[i]);
              assertThat(copied[i]).isEqualTo(values[i]);
              all.add(values[i]);
            }
          }
          boolean noFailure = Arrays.stream(failures).allMatch(f -> f == null);
          if (r.isLongValued()) {
            assertThat(all).allMatch(Long.class::isInstance);
            long[] longs = new long[size];
            r.copyLongsTo(longs, 0);
            assertThat(Arrays.stream(longs).boxed().toList()).as("bulk longs record every item").isEqualTo(all);
          }
          if (r.isDoubleValued()) {
            assertThat(all).allMatch(Double.class::isInstance);
            double[] doubles = new double[size];
            r.copyDoublesTo(doubles, 0);
            assertThat(Arrays.stream(doubles).boxed().toList()).as("bulk doubles record every item").isEqualTo(all);
          }
          if (r.isIntValued()) {
            assertThat(all).allMatch(Integer.class::isInstance);
            int[] ints = new int[size];
            r.copyIntsTo(ints, 0);
            for (int i = 0; i < size; i++) {
              if (recorded[i]) {
                assertThat(ints[i]).isEqualTo(values[i]);
              }
            }
          }
          assertThat(noFailure || !r.isIntValued() && !r.isLongValued() && !r.isDoubleValued())
              .as("a failure ends every numeric form").isTrue();
        });
  }
}
