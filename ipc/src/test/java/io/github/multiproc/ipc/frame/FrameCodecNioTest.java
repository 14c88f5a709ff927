package io.github.multiproc.ipc.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameCodecNioTest {

  private static final int MAX = 1 << 20;
  private final FrameEncoder encoder = new FrameEncoder(MAX);

  @Test
  void shouldEncodeTheSameBytesAsTheStreamWriter() throws Exception {
    Frame f = new Frame(TestFrameType.RESULTS, 99, FrameStreamTest.bytes(300));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    new FrameWriter(out, MAX).write(f);
    ByteBuffer one = encoder.encode(f);
    assertThat(toArray(one)).isEqualTo(out.toByteArray());
    ByteBuffer[] parts = encoder.encodeGathering(f);
    ByteBuffer joined = ByteBuffer.allocate(parts[0].remaining() + parts[1].remaining())
        .put(parts[0]).put(parts[1]).flip();
    assertThat(toArray(joined)).isEqualTo(out.toByteArray());
  }

  @Test
  void shouldDecodeFramesDeliveredOneByteAtATime() throws Exception {
    List<Frame> frames = List.of(Frame.empty(TestFrameType.HELLO, 1),
        new Frame(TestFrameType.DATA, 2, FrameStreamTest.bytes(FrameDecoder.INITIAL_PAYLOAD_BUFFER * 3)),
        new Frame(TestFrameType.CLOSE, 3, new byte[] {9}));
    ByteBuffer wire = concat(frames);
    FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
    List<Frame> out = new ArrayList<>();
    while (wire.hasRemaining()) {
      ByteBuffer one = wire.slice(wire.position(), 1);
      wire.position(wire.position() + 1);
      decoder.decode(one, out::add);
      assertThat(one.hasRemaining()).isFalse();
    }
    decoder.endOfStream();
    assertThat(out).isEqualTo(frames);
  }

  @Test
  void shouldLeaveBytesAfterTheNextFrameInTheChunk() throws Exception {
    ByteBuffer wire = concat(List.of(Frame.empty(TestFrameType.PING, 1), Frame.empty(TestFrameType.PING, 2)));
    FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
    assertThat(decoder.decodeNext(wire)).isEqualTo(Frame.empty(TestFrameType.PING, 1));
    assertThat(wire.remaining()).isEqualTo(13);
    assertThat(decoder.decodeNext(wire)).isEqualTo(Frame.empty(TestFrameType.PING, 2));
    assertThat(decoder.decodeNext(wire)).isNull();
  }

  @Test
  void shouldFailFastOnAnOversizeLengthAndStayFailed() {
    ByteBuffer wire = ByteBuffer.allocate(13).putInt(MAX + 1).put(TestFrameType.DATA.code()).flip();
    FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
    assertThatThrownBy(() -> decoder.decode(wire)).isInstanceOf(TooLongFrameException.class);
    assertThat(wire.position()).isEqualTo(4);
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the decoder failed earlier and cannot resynchronise: frame length must be <=");
  }

  @Test
  void shouldReportTruncationAtEndOfStream() throws Exception {
    ByteBuffer wire = concat(List.of(new Frame(TestFrameType.DATA, 1, new byte[20])));
    FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
    decoder.decode(wire.limit(20));
    assertThat(decoder.isMidFrame()).isTrue();
    assertThatThrownBy(decoder::endOfStream)
        .isInstanceOf(TruncatedFrameException.class)
        .hasMessage("stream ended inside a frame's payload after 20 of 33 bytes: 13 bytes missing");
  }

  @Test
  void shouldRejectAWriteIntoATooSmallBuffer() {
    assertThatThrownBy(() -> encoder.encode(Frame.empty(TestFrameType.PING, 1), ByteBuffer.allocate(12)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dst must have room for the frame's 13 bytes: remaining=12");
  }

  ByteBuffer concat(List<Frame> frames) throws TooLongFrameException {
    int size = frames.stream().mapToInt(Frames::wireSize).sum();
    ByteBuffer b = ByteBuffer.allocate(size);
    for (Frame f : frames) {
      encoder.encode(f, b);
    }
    return b.flip();
  }

  static byte[] toArray(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }
}
