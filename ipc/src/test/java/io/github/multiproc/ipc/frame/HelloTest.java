package io.github.multiproc.ipc.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HelloTest {

  @Test
  void shouldLayOutThePayloadAsDocumented() {
    Hello h = new Hello(1, 2, 0x0102, "25", new byte[] {(byte) 0xAB});
    assertThat(HexFormat.of().formatHex(h.toFrame(TestFrameType.HELLO).payload()))
        .isEqualTo("4d505243" + "0001" + "0002" + "0000000000000102" + "0002" + "3235" + "ab");
  }

  @Test
  void shouldRoundTripThroughAFrame() throws Exception {
    Hello h = Hello.current(new byte[] {1, 2, 3});
    assertThat(Hello.fromFrame(h.toFrame(TestFrameType.HELLO))).isEqualTo(h);
    assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void shouldNegotiateTheHighestCommonVersion() throws Exception {
    Hello a = new Hello(1, 3, 1, "25", new byte[0]);
    Hello b = new Hello(2, 5, 2, "26", new byte[0]);
    assertThat(a.negotiate(b)).isEqualTo(3);
    assertThat(b.negotiate(a)).isEqualTo(3);
    assertThatThrownBy(() -> new Hello(4, 5, 2, "26", new byte[0]).negotiate(new Hello(1, 3, 1, "25", new byte[0])))
        .isInstanceOf(ProtocolMismatchException.class)
        .hasMessage("protocol versions must overlap: this side speaks 4..5, peer (pid 1, Java 25) speaks 1..3");
  }

  @Test
  void shouldRejectAWrongMagicAShortPayloadOrAnotherType() {
    byte[] p = Hello.current().encode();
    p[0] = 'X';
    assertThatThrownBy(() -> Hello.fromFrame(new Frame(TestFrameType.HELLO, 0, p)))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessage("HELLO must start with magic 0x4D505243 (\"MPRC\"): magic=0x58505243");
    assertThatThrownBy(() -> Hello.fromFrame(new Frame(TestFrameType.HELLO, 0, new byte[] {0x4D, 0x50, 0x52, 0x43, 0})))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessage("HELLO payload must hold at least 18 bytes plus its javaVersion: length=5");
    assertThatThrownBy(() -> Hello.fromFrame(Frame.empty(TestFrameType.PING, 0)))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessage("the first frame must be a HELLO: type=PING");
  }
}
