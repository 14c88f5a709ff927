package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outside.OutsideValue;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Codec#encodeAll}/{@link Codec#decodeAll}: one stream, but a bad item fails alone. */
@Timeout(30)
class ItemStreamsTest {

  private final JdkCodec codec = JdkCodec.create();

  /** Its readObject throws what it was built to throw, in the decoding JVM only. */
  static final class Exploding implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    final String how;

    Exploding(String how) {
      this.how = how;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      switch (how) {
        case "error" -> throw new AssertionError("boom in readObject");
        case "runtime" -> throw new IllegalStateException("state is wrong");
        default -> throw new java.io.InvalidObjectException("invalid");
      }
    }
  }

  record Pair(String name, List<Integer> values) implements Serializable {}

  @Test
  void shouldRoundTripASequenceSharingNothingBetweenItems() {
    String shared = "shared";
    List<Object> values = Arrays.asList(new Pair("a", List.of(1)), null, shared, new Pair("b", List.of()),
        List.of(shared, shared), Map.of(1, "x"), new int[] {7});
    byte[] bytes = codec.encodeAll(values);
    DecodedItems back = codec.decodeAll(bytes, values.size());
    assertThat(back.allDecoded()).isTrue();
    assertThat(back.value(0)).isEqualTo(values.get(0));
    assertThat(back.value(1)).isNull();
    assertThat(back.value(4)).isEqualTo(List.of(shared, shared));
    assertThat((int[]) back.value(6)).containsExactly(7);
    assertThat(codec.encodeAll(Arrays.asList(back.valuesOrThrow()))).isEqualTo(bytes); // byte-exact
    assertThat(codec.decodeAll(codec.encodeAll(List.of()), 0).size()).isZero();
  }

  @Test
  void shouldFailOnlyTheItemsThatDoNotDecodeAndNameTheirIndexClassAndCause() {
    List<Object> values = List.of(new Pair("ok", List.of(1)), new OutsideValue(1), "fine",
        new Exploding("error"), new Pair("ok2", List.of(2)), new Exploding("runtime"), 42L,
        new Exploding("io"), new Pair("last", List.of(3)));
    DecodedItems back = codec.decodeAll(codec.encodeAll(values), values.size());
    assertThat(back.value(0)).isEqualTo(values.get(0));
    assertThat(back.failure(1)).isNotNull().hasMessageContaining("item 1 (a " + OutsideValue.class.getName() + ")")
        .hasMessageContaining("is not allowed by the decode rule")
        .hasCauseInstanceOf(RejectedPayloadException.class);
    assertThat(back.value(2)).isEqualTo("fine");
    assertThat(back.failure(3)).hasMessageContaining("item 3 (a " + Exploding.class.getName() + ")")
        .hasRootCauseInstanceOf(AssertionError.class);
    assertThat(back.value(4)).isEqualTo(values.get(4));
    assertThat(back.failure(5)).hasRootCauseMessage("state is wrong");
    assertThat(back.value(6)).isEqualTo(42L);
    assertThat(back.failure(7)).isNotNull();
    assertThat(back.value(8)).isEqualTo(values.get(8));
    assertThat(back.failure(3).index()).isEqualTo(3);
    assertThat(back.allDecoded()).isFalse();
    assertThatThrownBy(back::valuesOrThrow).isSameAs(back.failure(1));
  }

  @Test
  void shouldFailOnlyTheItemWhoseBytesAreCorruptOrWhoseClassIsMissing() {
    List<Object> values = List.of(new Pair("a", List.of(1)), new Pair("b", List.of(2)), new Pair("c", List.of(3)));
    byte[] bytes = codec.encodeAll(values);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getInt(0);
    int tableLength = b.getInt(4 + 4 * n);
    int itemsAt = 8 + 4 * n + tableLength;
    int secondStart = b.getInt(4); // item 1 starts where item 0 ends: its TC_RESET, then TC_OBJECT
    byte[] corrupt = bytes.clone();
    corrupt[itemsAt + secondStart + 1] = (byte) 0xEE;
    DecodedItems back = codec.decodeAll(corrupt, 3);
    assertThat(back.value(0)).isEqualTo(values.get(0));
    assertThat(back.failure(1)).hasMessageContaining("item 1").hasMessageContaining("not a valid JDK serialization stream");
    assertThat(back.value(2)).isEqualTo(values.get(2));

    byte[] renamed = bytes.clone(); // the record's class name in the table, one letter changed
    String name = Pair.class.getName();
    int at = indexOf(renamed, name.getBytes(StandardCharsets.UTF_8));
    renamed[at + name.length() - 1] = 'X';
    DecodedItems missing = codec.decodeAll(renamed, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(missing.failure(i)).hasMessageContaining("is not on this JVM's class path");
    }
  }

  @Test
  void shouldTreatBrokenFramingAsAnErrorOfTheWholePayload() {
    byte[] bytes = codec.encodeAll(List.of(1, 2));
    assertThatThrownBy(() -> codec.decodeAll(bytes, 3)).isInstanceOf(CodecException.class)
        .hasMessage("value sequence count must be 3: count=2");
    byte[] pastEnd = bytes.clone();
    ByteBuffer.wrap(pastEnd).putInt(8, 1 << 20);
    assertThatThrownBy(() -> codec.decodeAll(pastEnd, 2)).isInstanceOf(CodecException.class)
        .hasMessageContaining("item 1 must end in [");
    assertThatThrownBy(() -> codec.decodeAll(new byte[3], 0)).isInstanceOf(CodecException.class);
    byte[] badTable = bytes.clone();
    ByteBuffer.wrap(badTable).putInt(12, -5);
    assertThatThrownBy(() -> codec.decodeAll(badTable, 2)).isInstanceOf(CodecException.class)
        .hasMessageContaining("descriptor table length");
  }

  @Test
  void shouldDecodeSequencesOfACodecWithoutItsOwnFormatAsOneArray() {
    Codec plain = new Codec() {
      @Override
      public byte[] encode(Object value) {
        return codec.encode(value);
      }

      @Override
      public Object decode(byte[] bytes) {
        return codec.decode(bytes);
      }
    };
    byte[] bytes = plain.encodeAll(new ArrayList<>(List.of(1, "two")));
    assertThat(plain.decodeAll(bytes, 2).valuesOrThrow()).containsExactly(1, "two");
    byte[] refused = plain.encodeAll(List.of(1, new OutsideValue(2)));
    DecodedItems all = plain.decodeAll(refused, 2);
    assertThat(all.failed(0)).isTrue();
    assertThat(all.failed(1)).isTrue();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
