package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.FastPathCodec;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The call bytes of {@code docs/protocol.md} §5, and the method table they index. */
class CallWireTest {

  private final FastPathCodec codec = FastPathCodec.create();

  @Test
  void shouldLayOutTheDocumentedGetCallAndItsAnswer() {
    int get = MethodTable.of(MapService.class).indexOf("get", Object.class);
    assertThat(get).isEqualTo(9); // the example in protocol.md
    byte[] call = CallWire.call(CallWire.encode(3, get, new Object[] {"k7"}, codec));
    assertThat(HexFormat.of().formatHex(call)).isEqualTo("01" + "00000003" + "0009" + "01" + "00000003" + "026b37");
    byte[] answer = CallWire.value(codec.encode(7));
    assertThat(HexFormat.of().formatHex(answer)).isEqualTo("00" + "04" + "00000007");
    assertThat(CallWire.read(answer, codec).value()).isEqualTo(7);
  }

  @Test
  void shouldReadBackACallAndABatchAnswer() {
    CallWire.Encoded e = CallWire.encode(5, 2, new Object[] {"a", null, 3L}, codec);
    CallWire.Call c = CallWire.readCall(ByteBuffer.wrap(CallWire.call(e), 1, CallWire.call(e).length - 1));
    assertThat(c.objectId()).isEqualTo(5);
    assertThat(c.method()).isEqualTo(2);
    assertThat(c.args().length).isEqualTo(3);
    assertThat(codec.decode(c.args()[2])).isEqualTo(3L);
    byte[][] split = CallWire.splitBatchAnswer(CallWire.batchAnswer(List.of(CallWire.value(codec.encode("x")),
        CallWire.failure(new IllegalStateException("no"), codec))));
    assertThat(CallWire.read(split[0], codec).value()).isEqualTo("x");
    assertThat(CallWire.read(split[1], codec).failure()).isInstanceOf(IllegalStateException.class).hasMessage("no");
  }

  @Test
  void shouldRefuseMalformedCallsAndAnswers() {
    assertThatThrownBy(() -> CallWire.readCall(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 99})))
        .isInstanceOf(CodecException.class).hasMessageContaining("argument 0 has length 99");
    assertThatThrownBy(() -> CallWire.readCall(ByteBuffer.wrap(new byte[] {0, 0})))
        .isInstanceOf(CodecException.class).hasMessageContaining("ends early");
    assertThatThrownBy(() -> CallWire.read(new byte[] {7}, codec))
        .isInstanceOf(CodecException.class).hasMessageContaining("status must be 0 or 1");
  }

  @Test
  void shouldNumberMethodsTheSameWayForTheSameInterfaceAndTellADifferentOne() {
    MethodTable t = MethodTable.of(Inventory.class);
    assertThat(t.method(t.indexOf("take", String.class, int.class)).getName()).isEqualTo("take");
    assertThat(t.fingerprint()).isEqualTo(MethodTable.of(Inventory.class).fingerprint())
        .isNotEqualTo(MethodTable.of(Tally.class).fingerprint());
    assertThatThrownBy(() -> t.method(99)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("method index must be in [0, ");
    assertThatThrownBy(() -> MethodTable.of(InventoryImpl.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a class");
  }
}
