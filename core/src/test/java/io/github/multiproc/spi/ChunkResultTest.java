package io.github.multiproc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A chunk's outcome: ints stay unboxed until something else is recorded; nothing is lost either way. */
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
}
