package io.github.multiproc.ipc.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * The framing guarantees of docs/protocol.md as properties: round trip under any fragmentation,
 * truncation always reported, corrupt lengths always one of the two exceptions, and a fuzz pass.
 */
@Timeout(60)
class FramePropertiesTest {

  private static final int MAX = 4096;
  private static final int EXAMPLES = 300;

  private static Gen<Frame> frames() {
    Gen<Integer> sizes = integers().between(0, 64).mix(integers().between(65, 1500), 20);
    return arbitrary().enumValues(TestFrameType.class)
        .zip(longs().all(), sizes, integers().all(), (t, id, size, seed) -> {
          byte[] p = new byte[size];
          new SplittableRandom(seed).nextBytes(p);
          return new Frame(t, id, p);
        });
  }

  private static Gen<List<Frame>> frameLists() {
    return lists().of(frames()).ofSizeBetween(0, 8);
  }

  private static Gen<List<Frame>> nonEmptyFrameLists() {
    return lists().of(frames()).ofSizeBetween(1, 8);
  }

  /** Cut points as fractions of the wire length, in 1/1000ths. */
  private static Gen<List<Integer>> cuts() {
    return lists().of(integers().between(0, 1000)).ofSizeBetween(0, 12);
  }

  @Test
  void shouldRoundTripAnyFrameSequenceUnderAnyFragmentation() {
    qt().withFixedSeed(0x6D70726F63L).withExamples(EXAMPLES).forAll(frameLists(), cuts()).checkAssert((frames, cuts) -> check(() -> {
      byte[] wire = encode(frames);
      List<byte[]> chunks = split(wire, cuts);
      // NIO decoder, chunk by chunk
      FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
      List<Frame> decoded = new ArrayList<>();
      for (byte[] c : chunks) {
        decoder.decode(ByteBuffer.wrap(c), decoded::add);
      }
      decoder.endOfStream();
      assertThat(encode(decoded)).isEqualTo(wire);
      // blocking reader over a stream that returns exactly those chunks
      assertThat(encode(readAll(new ChunkedInputStream(chunks)))).isEqualTo(wire);
    }));
  }

  @Test
  void shouldReportAnyTruncationInsideAFrame() {
    qt().withFixedSeed(0x6D70726F63L).withExamples(EXAMPLES).forAll(nonEmptyFrameLists(), integers().between(0, 1000))
        .checkAssert((frames, at) -> check(() -> {
          byte[] wire = encode(frames);
          int cut = (int) ((long) wire.length * at / 1000);
          long frameEnd = 0;
          for (Frame f : frames) {
            frameEnd += Frames.wireSize(f);
            if (frameEnd >= cut) {
              break;
            }
          }
          byte[] head = java.util.Arrays.copyOf(wire, cut);
          boolean atBoundary = frameEnd == cut || cut == 0;
          if (atBoundary) {
            readAll(new ByteArrayInputStream(head));
            return;
          }
          long missing = frameEnd - cut;
          assertThatThrownBy(() -> readAll(new ByteArrayInputStream(head)))
              .isInstanceOfSatisfying(TruncatedFrameException.class, e -> assertMissing(e, missing));
          FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
          decoder.decode(ByteBuffer.wrap(head), f -> {});
          assertThatThrownBy(decoder::endOfStream)
              .isInstanceOfSatisfying(TruncatedFrameException.class, e -> assertMissing(e, missing));
        }));
  }

  private static void assertMissing(TruncatedFrameException e, long missing) {
    if (e.getMessage().contains("length field")) {
      assertThat(e.missingBytes()).isLessThanOrEqualTo(missing); // lower bound: length unknown
    } else {
      assertThat(e.missingBytes()).isEqualTo(missing);
      assertThat(e.getMessage()).endsWith(": " + missing + " bytes missing");
    }
  }

  @Test
  void shouldRejectAnInvalidLengthWithOneOfTheTwoExceptions() {
    Gen<Integer> invalid = integers().between(Integer.MIN_VALUE, Frames.MIN_LENGTH - 1)
        .mix(integers().between(MAX + 1, Integer.MAX_VALUE));
    qt().withFixedSeed(0x6D70726F63L).withExamples(EXAMPLES).forAll(nonEmptyFrameLists(), integers().between(0, 7), invalid)
        .checkAssert((frames, pick, length) -> {
          int k = pick % frames.size();
          byte[] wire = encode(frames);
          int offset = 0;
          for (int i = 0; i < k; i++) {
            offset += Frames.wireSize(frames.get(i));
          }
          ByteBuffer.wrap(wire).putInt(offset, length);
          Class<? extends FrameException> expected =
              length < Frames.MIN_LENGTH ? CorruptedFrameException.class : TooLongFrameException.class;
          List<Frame> before = new ArrayList<>();
          FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), MAX, TestFrameType.DIALECT);
          assertThatThrownBy(() -> {
            for (Frame f; (f = reader.read()) != null; ) {
              before.add(f);
            }
          }).isInstanceOf(expected);
          assertThat(before).isEqualTo(frames.subList(0, k));
          FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
          assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(wire))).isInstanceOf(expected);
        });
  }

  @Test
  void shouldOnlyEverThrowFrameExceptionsForAnyLengthCorruption() {
    qt().withFixedSeed(0x6D70726F63L).withExamples(EXAMPLES).forAll(nonEmptyFrameLists(), integers().between(0, 7),
        integers().all()).checkAssert((frames, pick, length) -> {
          byte[] wire = encode(frames);
          int offset = 0;
          for (int i = 0; i < pick % frames.size(); i++) {
            offset += Frames.wireSize(frames.get(i));
          }
          ByteBuffer.wrap(wire).putInt(offset, length);
          assertOnlyFramesOrFrameExceptions(wire, new int[] {wire.length});
        });
  }

  @Test
  void shouldSurviveAHundredThousandRandomInputs() {
    SplittableRandom random = new SplittableRandom(0x5EED);
    for (int i = 0; i < 100_000; i++) {
      byte[] input = new byte[random.nextInt(0, 48)];
      random.nextBytes(input);
      if (input.length >= 5 && random.nextBoolean()) { // half look like a plausible header
        ByteBuffer.wrap(input).putInt(0, random.nextInt(0, 64));
        FrameType[] types = TestFrameType.values();
        input[4] = types[random.nextInt(types.length)].code();
      }
      int[] chunkSizes = new int[random.nextInt(1, 4)];
      for (int c = 0; c < chunkSizes.length; c++) {
        chunkSizes[c] = random.nextInt(1, 20);
      }
      assertOnlyFramesOrFrameExceptions(input, chunkSizes);
    }
  }

  /** Reads {@code wire} both ways; anything but frames, a clean end or a FrameException fails. */
  private static void assertOnlyFramesOrFrameExceptions(byte[] wire, int[] chunkSizes) {
    try {
      readAll(new ByteArrayInputStream(wire));
    } catch (FrameException expected) {
      // one of the documented outcomes
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("reader threw " + e + " for " + java.util.HexFormat.of().formatHex(wire), e);
    }
    FrameDecoder decoder = new FrameDecoder(MAX, TestFrameType.DIALECT);
    try {
      ByteBuffer in = ByteBuffer.wrap(wire);
      for (int c = 0; in.hasRemaining(); c++) {
        int n = Math.min(in.remaining(), chunkSizes[c % chunkSizes.length]);
        ByteBuffer chunk = in.slice(in.position(), n);
        in.position(in.position() + n);
        decoder.decode(chunk, f -> {});
      }
      decoder.endOfStream();
    } catch (FrameException expected) {
      // one of the documented outcomes
    } catch (RuntimeException e) {
      throw new AssertionError("decoder threw " + e + " for " + java.util.HexFormat.of().formatHex(wire), e);
    }
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs a property body; a checked exception fails the property. */
  static void check(Body body) {
    try {
      body.run();
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
  }

  static byte[] encode(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FrameWriter w = new FrameWriter(out, MAX)) {
      for (Frame f : frames) {
        w.write(f);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  static List<Frame> readAll(InputStream in) throws IOException {
    FrameReader reader = new FrameReader(in, MAX, TestFrameType.DIALECT);
    List<Frame> out = new ArrayList<>();
    for (Frame f; (f = reader.read()) != null; ) {
      out.add(f);
    }
    return out;
  }

  static List<byte[]> split(byte[] wire, List<Integer> cuts) {
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      points.add((int) ((long) wire.length * c / 1000));
    }
    points.add(0);
    points.add(wire.length);
    points.sort(null);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      chunks.add(java.util.Arrays.copyOfRange(wire, points.get(i - 1), points.get(i)));
    }
    return chunks;
  }

  /** Returns the given chunks, one (or less) per read call; empty chunks are skipped. */
  static final class ChunkedInputStream extends InputStream {
    private final List<byte[]> chunks;
    private int index;
    private int pos;

    ChunkedInputStream(List<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (index < chunks.size() && pos == chunks.get(index).length) {
        index++;
        pos = 0;
      }
      if (index == chunks.size()) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      byte[] c = chunks.get(index);
      int n = Math.min(len, c.length - pos);
      System.arraycopy(c, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
