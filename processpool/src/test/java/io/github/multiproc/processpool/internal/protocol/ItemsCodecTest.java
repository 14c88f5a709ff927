package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.github.multiproc.RemoteException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Round trips of the chunk and result payloads, for every fast path and the generic one. */
class ItemsCodecTest {

  private static final Codec CODEC = JdkCodec.create();

  private static List<Object> roundTrip(List<?> items) throws IOException {
    PayloadWriter out = new PayloadWriter(16);
    ItemsEncoder.encode(items, CODEC, out);
    out.putInt(0xCAFEBABE); // a trailer: decoding must stop exactly at the block's end
    PayloadReader in = new PayloadReader(out.toByteArray());
    List<Object> back = ItemsDecoder.decodeList(in, CODEC);
    assertThat(in.getInt()).isEqualTo(0xCAFEBABE);
    return back;
  }

  private static Gen<Object> anyItem() {
    Gen<Object> ints = integers().all().map(i -> (Object) i);
    Gen<Object> longValues = longs().all().map(l -> (Object) l);
    Gen<Object> doubleValues = doubles().any().map(d -> (Object) d);
    Gen<Object> text = strings().allPossible().ofLengthBetween(0, 12).map(s -> (Object) s);
    Gen<Object> nulls = integers().all().map(i -> (Object) null);
    return ints.mix(longValues).mix(doubleValues).mix(text).mix(nulls, 10);
  }

  @Test
  void shouldRoundTripAnyListOfOneKind() {
    qt().withExamples(300).forAll(lists().of(integers().all()).ofSizeBetween(1, 50)).checkAssert(l -> {
      try {
        assertThat(roundTrip(l)).isEqualTo(l);
        List<Long> asLongs = l.stream().map(i -> (long) i * 3_000_000_000L).toList();
        assertThat(roundTrip(asLongs)).isEqualTo(asLongs);
        List<String> asStrings = l.stream().map(i -> "é" + i).toList();
        assertThat(roundTrip(asStrings)).isEqualTo(asStrings);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void shouldRoundTripAnyMixOfKindsAndNulls() {
    qt().withExamples(300).forAll(lists().of(anyItem()).ofSizeBetween(1, 30)).checkAssert(l -> {
      try {
        List<Object> back = roundTrip(l);
        assertThat(back).hasSize(l.size());
        for (int i = 0; i < l.size(); i++) { // Double.NaN: compare by bits
          Object a = l.get(i);
          Object b = back.get(i);
          if (a instanceof Double d) {
            assertThat(Double.doubleToRawLongBits((Double) b)).isEqualTo(Double.doubleToRawLongBits(d));
          } else {
            assertThat(b).isEqualTo(a);
          }
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void shouldRejectATruncatedPayload() {
    PayloadWriter out = new PayloadWriter(16);
    ItemsEncoder.encode(List.of(1, 2, 3), CODEC, out);
    byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() - 1);
    assertThatThrownBy(() -> ItemsDecoder.decode(new PayloadReader(truncated), CODEC))
        .isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void shouldCarryValuesFailuresAndAStandInForAnExceptionThatDoesNotSerialize() throws IOException {
    Object[] values = {1, null, 3};
    Throwable[] failures = {null, new IllegalStateException("bad"), null};
    ChunkResult<Object> r = ResultsCodec.decode(ResultsCodec.encode(values, failures, 1234, CODEC), CODEC);
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.value(0)).isEqualTo(1);
    assertThat(r.failure(1)).isInstanceOf(IllegalStateException.class).hasMessage("bad");
    assertThat(r.value(2)).isEqualTo(3);
    assertThat(r.executionNanos()).isEqualTo(1234);

    class Unsendable extends RuntimeException {
      private static final long serialVersionUID = 1L;
      @SuppressWarnings("unused")
      final Object lock = new Object();
    }
    ChunkResult<Object> standIn = ResultsCodec.decode(ResultsCodec.encode(new Object[] {null},
        new Throwable[] {new Unsendable()}, 0, CODEC), CODEC);
    assertThat(standIn.failure(0)).isInstanceOfSatisfying(RemoteException.class,
        e -> assertThat(e.remoteClassName()).isEqualTo(Unsendable.class.getName()));
  }

  @Test
  void shouldFailOnlyTheItemWhoseResultDoesNotSerialize() throws IOException {
    List<Object> values = new ArrayList<>(List.of("ok", new Object(), "fine"));
    ChunkResult<Object> r = ResultsCodec.decode(ResultsCodec.encode(values.toArray(), new Throwable[3], 0, CODEC), CODEC);
    assertThat(r.value(0)).isEqualTo("ok");
    assertThat(r.failure(1)).hasMessageContaining("java.lang.Object");
    assertThat(r.value(2)).isEqualTo("fine");
  }
}
