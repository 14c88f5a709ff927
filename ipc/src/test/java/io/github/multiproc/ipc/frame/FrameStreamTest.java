package io.github.multiproc.ipc.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameStreamTest {

  private static final int MAX = 1 << 20;

  @Test
  void shouldWriteTheDocumentedBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FrameWriter w = new FrameWriter(out, MAX)) {
      w.write(new Frame(TestFrameType.DATA, 0x0102030405060708L, "hi".getBytes(StandardCharsets.US_ASCII)));
    }
    assertThat(HexFormat.of().formatHex(out.toByteArray()))
        .isEqualTo("0000000b" + "10" + "0102030405060708" + "6869");
  }

  @Test
  void shouldRoundTripSmallLargeAndEmptyFrames() throws IOException {
    List<Frame> frames = List.of(
        Frame.empty(TestFrameType.PING, -1),
        new Frame(TestFrameType.TASKS, Long.MIN_VALUE, bytes(FrameWriter.COALESCE_BYTES)),
        new Frame(TestFrameType.RESULTS, 7, bytes(FrameWriter.COALESCE_BYTES + 1)),
        new Frame(TestFrameType.DATA, Long.MAX_VALUE, bytes(FrameReader.EAGER_ALLOCATION_BYTES * 3 / 2 - 9)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(out, 4 << 20);
    for (Frame f : frames) {
      w.write(f);
    }
    w.flush();
    FrameReader r = new FrameReader(new OneByteAtATime(new ByteArrayInputStream(out.toByteArray())), 4 << 20, TestFrameType.DIALECT);
    List<Frame> read = new ArrayList<>();
    Frame f;
    while ((f = r.read()) != null) {
      read.add(f);
    }
    assertThat(read).isEqualTo(frames);
  }

  @Test
  void shouldWriteASliceOfAnArray() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new FrameWriter(out, MAX).write(TestFrameType.OUTPUT, 3, "xxabcxx".getBytes(StandardCharsets.US_ASCII), 2, 3);
    Frame f = new FrameReader(new ByteArrayInputStream(out.toByteArray()), MAX, TestFrameType.DIALECT).read();
    assertThat(f).isEqualTo(new Frame(TestFrameType.OUTPUT, 3, "abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void shouldReturnNullAtCleanEndOfStream() throws IOException {
    assertThat(new FrameReader(InputStream.nullInputStream(), MAX, TestFrameType.DIALECT).read()).isNull();
  }

  @Test
  void shouldRejectAnOversizeLengthAfterReadingOnlyTheLengthField() {
    byte[] wire = ByteBuffer.allocate(4 + 9).putInt(MAX + 1).array();
    CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(wire));
    assertThatThrownBy(() -> new FrameReader(in, MAX, TestFrameType.DIALECT).read())
        .isInstanceOf(TooLongFrameException.class)
        .hasMessage("frame length must be <= maxFrameBytes=" + MAX + ": length=" + (MAX + 1));
    assertThat(in.count).isEqualTo(4);
  }

  @Test
  void shouldRejectANegativeOrTooSmallLength() {
    for (int length : new int[] {-1, Integer.MIN_VALUE, 0, 8}) {
      byte[] wire = ByteBuffer.allocate(13).putInt(length).array();
      assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire), MAX, TestFrameType.DIALECT).read())
          .isInstanceOf(CorruptedFrameException.class)
          .hasMessage("frame length must be >= 9 (type + correlation id): length=" + length);
    }
  }

  @Test
  void shouldRejectAnUnknownType() {
    byte[] wire = ByteBuffer.allocate(13).putInt(9).put((byte) 0x7F).array();
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire), MAX, TestFrameType.DIALECT).read())
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageStartingWith("frame type code must be one of the known codes [0x01,")
        .hasMessageEndingWith(": code=0x7F");
  }

  @Test
  void shouldNameTheMissingBytesWhenTheStreamEndsInsideAFrame() {
    byte[] wire = ByteBuffer.allocate(13 + 100).putInt(109).put(TestFrameType.DATA.code()).array();
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire, 0, 50), MAX, TestFrameType.DIALECT).read())
        .isInstanceOf(TruncatedFrameException.class)
        .hasMessage("stream ended inside a frame's payload after 50 of 113 bytes: 63 bytes missing")
        .extracting(e -> ((TruncatedFrameException) e).missingBytes()).isEqualTo(63L);
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire, 0, 7), MAX, TestFrameType.DIALECT).read())
        .isInstanceOf(TruncatedFrameException.class)
        .hasMessage("stream ended inside a frame's header after 7 of 113 bytes: 106 bytes missing");
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire, 0, 2), MAX, TestFrameType.DIALECT).read())
        .isInstanceOf(TruncatedFrameException.class)
        .hasMessage("stream ended inside a frame's length field after 2 of 4 bytes: at least 11 bytes missing");
  }

  @Test
  void shouldNotAllocateTheDeclaredLengthForAShortHostileStream() throws IOException {
    int max = Frames.MAX_MAX_FRAME_BYTES;
    byte[] wire = ByteBuffer.allocate(13 + 10).putInt(max).put(TestFrameType.DATA.code()).array();
    // Would need ~2 GiB if allocated eagerly; the test JVM's heap is far smaller.
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire), max, TestFrameType.DIALECT).read())
        .isInstanceOf(TruncatedFrameException.class);
  }

  @Test
  void shouldRefuseToWriteAnOversizeFrameAndWriteNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(out, 100);
    assertThatThrownBy(() -> w.write(new Frame(TestFrameType.DATA, 1, new byte[92])))
        .isInstanceOf(TooLongFrameException.class)
        .hasMessage("frame length must be <= maxFrameBytes=100: length=101");
    assertThat(out.size()).isZero();
  }

  @Test
  void shouldCheckTheConfiguredMaximum() {
    assertThatThrownBy(() -> new FrameReader(InputStream.nullInputStream(), 8, TestFrameType.DIALECT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes must be in [9, " + Frames.MAX_MAX_FRAME_BYTES + "]: maxFrameBytes=8");
  }

  @Test
  void shouldNeverInterleaveFramesOfConcurrentWriters() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(out, MAX);
    int writers = 4;
    int perWriter = 200;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        byte fill = (byte) t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perWriter; i++) {
            byte[] p = new byte[(i * 997) % (3 * FrameWriter.COALESCE_BYTES)];
            java.util.Arrays.fill(p, fill);
            w.write(new Frame(TestFrameType.DATA, fill, p));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get();
      }
    }
    FrameReader r = new FrameReader(new ByteArrayInputStream(out.toByteArray()), MAX, TestFrameType.DIALECT);
    int count = 0;
    Frame f;
    while ((f = r.read()) != null) {
      byte[] expected = new byte[f.payload().length]; // one comparison per frame: ~10 MB in all
      java.util.Arrays.fill(expected, (byte) f.correlationId());
      assertThat(java.util.Arrays.equals(f.payload(), expected)).as("frame %d holds only its writer's bytes", count)
          .isTrue();
      count++;
    }
    assertThat(count).isEqualTo(writers * perWriter);
  }

  @Test
  void shouldMapEveryTypeCodeBothWays() throws CorruptedFrameException {
    for (FrameType t : TestFrameType.values()) {
      assertThat(TestFrameType.DIALECT.typeOf(t.code())).isSameAs(t);
    }
    assertThat(TestFrameType.HELLO.code()).isEqualTo((byte) 0x01);
    assertThat(TestFrameType.CLOSE.code()).isEqualTo((byte) 0x11);
  }

  @Test
  void shouldCompareFramesByPayloadContent() {
    assertThat(new Frame(TestFrameType.DATA, 1, new byte[] {1, 2}))
        .isEqualTo(new Frame(TestFrameType.DATA, 1, new byte[] {1, 2}))
        .hasSameHashCodeAs(new Frame(TestFrameType.DATA, 1, new byte[] {1, 2}))
        .isNotEqualTo(new Frame(TestFrameType.DATA, 1, new byte[] {1, 3}))
        .hasToString("Frame[DATA, id=1, 2 bytes: 0102]");
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** Delivers at most one byte per read: the worst fragmentation. */
  static final class OneByteAtATime extends FilterInputStream {
    OneByteAtATime(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }

  static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
