package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class FastPathCodecTest {

  private final FastPathCodec codec = FastPathCodec.create();

  @Test
  void shouldUseTheDocumentedLayouts() {
    assertThat(hex(codec.encode(null))).isEqualTo("00");
    assertThat(hex(codec.encode(new byte[] {1, 2}))).isEqualTo("010102");
    assertThat(hex(codec.encode("hé"))).isEqualTo("0268e9");
    assertThat(hex(codec.encode("€"))).isEqualTo("0320ac");
    assertThat(hex(codec.encode(5))).isEqualTo("0400000005");
    assertThat(hex(codec.encode(-1L))).isEqualTo("05ffffffffffffffff");
    assertThat(hex(codec.encode(1.0))).isEqualTo("063ff0000000000000");
    assertThat(hex(codec.encode(true))).isEqualTo("0701");
    assertThat(hex(codec.encode(List.of(1))).substring(0, 6)).isEqualTo("7faced"); // JDK stream
  }

  @Test
  void shouldRoundTripAnyValueExactly() {
    Gen<Object> values = strings().allPossible().ofLengthBetween(0, 20).<Object>map(x -> x)
        .mix(integers().all().map(x -> x))
        .mix(longs().all().map(x -> x))
        .mix(doubles().any().map(x -> x))
        .mix(arbitrary().pick(true, false).map(x -> x))
        .mix(integers().between(0, 300).map(n -> {
          byte[] b = new byte[n];
          new SplittableRandom(n).nextBytes(b);
          return (Object) b;
        }))
        .mix(integers().between(0, 5).map(n -> (Object) List.of(n, "x")));
    qt().withFixedSeed(0x6D70726F63L).withExamples(500).forAll(values).checkAssert(v -> {
      Object back = codec.decode(codec.encode(v));
      if (v instanceof byte[] b) {
        assertThat((byte[]) back).isEqualTo(b);
      } else if (v instanceof Double d) {
        assertThat(Double.doubleToRawLongBits((Double) back)).isEqualTo(Double.doubleToRawLongBits(d));
      } else {
        assertThat(back).isEqualTo(v);
      }
    });
  }

  @Test
  void shouldKeepUnpairedSurrogatesExactly() {
    String s = "a\uD800b";
    assertThat(codec.decode(codec.encode(s))).isEqualTo(s);
  }

  @Test
  void shouldRejectMalformedPayloadsWithACodecException() {
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(CodecException.class)
        .hasMessage("payload must start with a type byte: length=0");
    assertThatThrownBy(() -> codec.decode(new byte[] {0x04, 1})).isInstanceOf(CodecException.class)
        .hasMessage("payload of this type must have 4 bytes after the type byte: length=1");
    assertThatThrownBy(() -> codec.decode(new byte[] {0x42})).isInstanceOf(CodecException.class)
        .hasMessage("payload type byte must be a FastPathTags tag (0x00-0x07 or 0x7F): unknown 0x42");
    assertThatThrownBy(() -> codec.decode(new byte[] {0x7F, 1, 2})).isInstanceOf(CodecException.class);
  }

  @Test
  void shouldDiagnoseNonSerializableValuesThroughTheDelegate() {
    assertThatThrownBy(() -> codec.encode(List.of(new Object())))
        .isInstanceOf(NotSerializableValueException.class)
        .hasMessageContaining("-> [0] (java.lang.Object)");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
