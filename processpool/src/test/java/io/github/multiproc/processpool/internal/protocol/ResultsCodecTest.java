package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.example.results.Foreign;
import com.example.results.ForeignFailure;
import io.github.multiproc.RemoteException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.ipc.codec.RejectedPayloadException;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * RESULTS payloads in the parent: a value that does not decode fails its item alone; a
 * structurally corrupt payload is an IOException and nothing else; memory follows the bytes.
 */
@Timeout(120)
class ResultsCodecTest {

  /** The parent's codec for a call whose task lives in this package. */
  private static final Codec PARENT = JdkCodec.create().allowingPackageOf(ResultsCodecTest.class);
  /** A worker's codec. */
  private static final Codec WORKER = Codecs.byName(JdkCodec.class.getName());

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Throws from readObject in the parent only (the worker never decodes its own results). */
  static final class FailsInParent implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    final boolean error;

    FailsInParent(boolean error) {
      this.error = error;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      if (error) {
        throw new NoClassDefFoundError("com/acme/OnlyInTheWorker");
      }
      throw new IllegalArgumentException("cannot be rebuilt here");
    }
  }

  record Point(int x, int y) implements Serializable {}


  @Test
  void shouldFailOnlyTheItemsWhoseValuesDoNotDecodeNamingClassAndCause() throws IOException {
    Object[] values = {new Point(1, 2), new FailsInParent(true), "text", new FailsInParent(false), new Point(3, 4)};
    byte[] payload = ResultsCodec.encode(values.clone(), new Throwable[values.length], 7, WORKER);
    ChunkResult<Object> r = new ChunkResult<>(values.length);
    ResultsCodec.decodeInto(payload, PARENT, r, 0, values.length);
    assertThat(r.value(0)).isEqualTo(new Point(1, 2));
    assertThat(r.failure(1)).isInstanceOfSatisfying(ItemDecodeException.class, e -> {
      assertThat(e.valueClassName()).isEqualTo(FailsInParent.class.getName());
      assertThat(e.index()).isEqualTo(1);
    }).hasMessageStartingWith("the task's result (a " + FailsInParent.class.getName() + ") could not be decoded")
        .hasRootCauseInstanceOf(NoClassDefFoundError.class);
    assertThat(r.value(2)).isEqualTo("text");
    assertThat(r.failure(3)).hasRootCauseMessage("cannot be rebuilt here");
    assertThat(r.value(4)).isEqualTo(new Point(3, 4));
  }

  @Test
  void shouldRefuseAResultClassOutsideTheAllowRuleAsThatItemsFailure() throws IOException {
    Object[] values = {1, new Foreign(), 3};
    byte[] payload = ResultsCodec.encode(values.clone(), new Throwable[3], 0, WORKER);
    ChunkResult<Object> r = ResultsCodec.decode(payload, JdkCodec.create(), 3); // no task package
    assertThat(r.value(0)).isEqualTo(1);
    assertThat(r.failure(1)).isInstanceOf(ItemDecodeException.class)
        .hasMessageContaining(Foreign.class.getName() + " is not allowed by the decode rule")
        .hasCauseInstanceOf(RejectedPayloadException.class);
    assertThat(r.value(2)).isEqualTo(3);
    ChunkResult<Object> allowed = new ChunkResult<>(3);
    ResultsCodec.decodeInto(payload, JdkCodec.create(), Foreign.class, allowed, 0, 3);
    assertThat(allowed.failed(1)).isFalse();
  }

  @Test
  void shouldUseTheStandInWhenTheOriginalExceptionIsRefusedAndSayWhy() throws IOException {
    byte[] payload = ResultsCodec.encode(new Object[1], new Throwable[] {new ForeignFailure()}, 0, WORKER);
    ChunkResult<Object> r = ResultsCodec.decode(payload, JdkCodec.create(), 1);
    assertThat(r.failure(0)).isInstanceOfSatisfying(RemoteException.class,
        e -> assertThat(e.remoteClassName()).isEqualTo(ForeignFailure.class.getName()));
    assertThat(r.failure(0).getSuppressed()).singleElement().satisfies(s ->
        assertThat(s).hasMessageContaining("is not allowed by the decode rule"));
    ChunkResult<Object> withPackage = ResultsCodec.decode(payload, JdkCodec.create().allowingPackageOf(Foreign.class), 1);
    assertThat(withPackage.failure(0)).isInstanceOf(ForeignFailure.class).hasMessage("from the task");
  }

  /** RESULTS header: nanos, count; then an items block of {@code kind} with {@code count}. */
  private static byte[] hostile(int resultsCount, int kind, int itemsCount, int trailing) {
    PayloadWriter w = new PayloadWriter(32);
    w.putLong(0);
    w.putInt(resultsCount);
    w.putByte(kind);
    w.putInt(itemsCount);
    for (int i = 0; i < trailing; i++) {
      w.putByte(0);
    }
    return w.toByteArray();
  }

  @Test
  void shouldRefuseHugeCountsBeforeAllocatingWithinFourTimesTheBytesReceived() {
    int huge = Integer.MAX_VALUE - 8;
    List<byte[]> payloads = List.of(
        hostile(1, FastPathTags.NULL, huge, 4),
        hostile(1, FastPathTags.UTF16, huge, 4),
        hostile(1, FastPathTags.INT, huge, 4),
        hostile(1, FastPathTags.LONG, huge, 4),
        hostile(huge, FastPathTags.NULL, huge, 4),
        hostile(3, FastPathTags.NULL, 3, 0), // no failure count
        hostile(1, FastPathTags.CODEC, 1, 4)); // generic body length 0: no bytes
    for (byte[] p : payloads) {
      assertThat(p.length).isLessThanOrEqualTo(22);
      for (int round = 0; round < 3; round++) { // the last round is measured, warm
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
          ResultsCodec.decodeInto(p, PARENT, new ChunkResult<>(4), 0, 4);
        } catch (Throwable t) {
          thrown = t;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(thrown).as(Arrays.toString(p)).isInstanceOf(IOException.class);
        if (round == 2) {
          assertThat(allocated).as("allocated for %s", Arrays.toString(p)).isLessThanOrEqualTo(4L * p.length + 16_384);
        }
      }
      assertThatThrownBy(() -> ResultsCodec.decode(p, PARENT)).isInstanceOf(IOException.class);
    }
  }

  private static Gen<Object> anyValue() {
    Gen<Object> ints = integers().all().map(i -> (Object) i);
    Gen<Object> longValues = longs().all().map(l -> (Object) l);
    Gen<Object> text = strings().allPossible().ofLengthBetween(0, 8).map(s -> (Object) s);
    Gen<Object> nulls = integers().all().map(i -> (Object) null);
    Gen<Object> points = integers().between(-5, 5).map(i -> (Object) new Point(i, -i));
    Gen<Object> lists = lists().of(integers().between(0, 9)).ofSizeBetween(0, 3).map(l -> (Object) new ArrayList<>(l));
    Gen<Object> maps = integers().between(0, 3).map(i -> (Object) Map.of("k", i));
    return ints.mix(longValues).mix(text).mix(nulls, 15).mix(points, 15).mix(lists, 10).mix(maps, 5);
  }

  private static Gen<Object[]> anyValues() {
    return lists().of(anyValue()).ofSizeBetween(1, 12).map((List<Object> l) -> l.toArray());
  }

  @Test
  void shouldRoundTripEveryEncodableItemListAndReEncodeItByteForByte() {
    qt().withFixedSeed(0x5245534CL).withExamples(400).forAll(anyValues(), longs().between(0, 1L << 40))
        .checkAssert((values, nanos) -> {
          try {
            byte[] payload = ResultsCodec.encode(values.clone(), new Throwable[values.length], nanos, WORKER);
            ChunkResult<Object> r = ResultsCodec.decode(payload, PARENT, values.length);
            Object[] back = new Object[values.length];
            for (int i = 0; i < values.length; i++) {
              assertThat(r.failed(i)).isFalse();
              back[i] = r.value(i);
            }
            assertThat(back).containsExactly(values);
            assertThat(r.executionNanos()).isEqualTo(nanos);
            assertThat(ResultsCodec.encode(back, new Throwable[values.length], nanos, WORKER)).isEqualTo(payload);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }

  /** Decodes, and fails the property if anything but an IOException comes out. */
  private static void decodeOnlyFailsWithIoException(byte[] payload, int max) {
    try {
      ResultsCodec.decodeInto(payload, PARENT, new ChunkResult<>(Math.max(1, max)), 0, max);
    } catch (IOException expected) {
      // a protocol error: the only exception allowed
    } catch (Throwable t) {
      throw new AssertionError("decoding " + payload.length + " bytes threw " + t + ": " + Arrays.toString(payload), t);
    }
  }

  @Test
  void shouldThrowOnlyIoExceptionForRandomTruncatedOrMutatedPayloads() {
    Gen<byte[]> valid = anyValues().map(v -> ResultsCodec.encode(v, withSomeFailures(v), 1, WORKER));
    qt().withFixedSeed(0x46555A5AL).withExamples(1500)
        .forAll(valid, integers().between(0, Integer.MAX_VALUE), integers().between(0, 4))
        .checkAssert((payload, seed, how) -> {
          Random random = new Random(seed);
          byte[] p = payload.clone();
          switch (how) {
            case 0 -> p = Arrays.copyOf(p, random.nextInt(p.length)); // truncated
            case 1 -> { // a few bytes flipped anywhere
              for (int k = 0; k < 1 + random.nextInt(4); k++) {
                p[random.nextInt(p.length)] ^= (byte) (1 + random.nextInt(255));
              }
            }
            case 2 -> { // a count or length overwritten with an extreme
              int at = random.nextInt(Math.max(1, p.length - 4));
              int v = new int[] {-1, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, Integer.MIN_VALUE, 1 << 30}[random.nextInt(5)];
              for (int k = 0; k < 4 && at + k < p.length; k++) {
                p[at + k] = (byte) (v >>> (24 - 8 * k));
              }
            }
            case 3 -> { // random bytes
              p = new byte[random.nextInt(64)];
              random.nextBytes(p);
            }
            default -> p = Arrays.copyOf(p, p.length + 1 + random.nextInt(8)); // trailing bytes
          }
          decodeOnlyFailsWithIoException(p, 1 + random.nextInt(16));
        });
  }

  private static Throwable[] withSomeFailures(Object[] values) {
    Throwable[] failures = new Throwable[values.length];
    if (values.length > 1) {
      failures[values.length / 2] = new IllegalStateException("failed " + values.length);
      values[values.length / 2] = null;
    }
    return failures;
  }

  @Test
  void shouldKeepTheItemsBlockAnIoExceptionForBadKindsAndCounts() {
    assertThatThrownBy(() -> ItemsDecoder.decode(new PayloadReader(new byte[] {(byte) 0xEE, 0, 0, 0, 1}), PARENT))
        .isInstanceOf(IOException.class).hasMessageContaining("unknown items kind");
    assertThatThrownBy(() -> ItemsDecoder.decode(new PayloadReader(new byte[] {FastPathTags.NULL, 0, 0, 0, 9}), PARENT, 8))
        .isInstanceOf(IOException.class).hasMessage("item count must be in [0, 8]: count=9");
  }

  @Test
  void shouldKeepIntResultsUnboxedAndTheirFailuresAlongside() throws IOException {
    Object[] values = {4, null, -9, Integer.MAX_VALUE};
    Throwable[] failures = new Throwable[4];
    failures[1] = new IllegalStateException("no square for you");
    values[1] = 0; // a frame may carry a value for a failed item too: the failure wins
    byte[] payload = ResultsCodec.encode(values, failures, 5, WORKER);
    ChunkResult<Object> r = ResultsCodec.decode(payload, PARENT);
    assertThat(r.failed(1)).isTrue();
    assertThat(r.failure(1)).isInstanceOf(IllegalStateException.class).hasMessage("no square for you");
    assertThat(Arrays.asList(r.value(0), r.value(2), r.value(3))).containsExactly(4, -9, Integer.MAX_VALUE);

    ChunkResult<Object> ints = ResultsCodec.decode(ResultsCodec.encode(new Object[] {1, 2, 3},
        new Throwable[3], 5, WORKER), PARENT);
    assertThat(ints.isIntValued()).as("a run of ints stays ints in the parent").isTrue();
    assertThat(ints.value(2)).isEqualTo(3);
  }

  @Test
  void shouldRefuseANumericRunWhoseCountOrLengthDisagreesWithItsFrame() throws IOException {
    Object[][] runs = {{1, 2, 3}, {1L, 2L, 3L}, {1.0, 2.0, 3.0}};
    byte[] kinds = {FastPathTags.INT, FastPathTags.LONG, FastPathTags.DOUBLE};
    for (int k = 0; k < runs.length; k++) {
      byte[] good = ResultsCodec.encode(runs[k], new Throwable[3], 5, WORKER);
      int kindAt = 12; // executionNanos int64, count int32
      assertThat(good[kindAt]).isEqualTo(kinds[k]);
      byte[] wrongCount = good.clone();
      wrongCount[kindAt + 4] = 2; // the run's count, big-endian: 3 becomes 2
      assertThatThrownBy(() -> ResultsCodec.decode(wrongCount, PARENT)).isInstanceOf(IOException.class)
          .hasMessageContaining("does not match");
      int width = k == 0 ? 4 : 8;
      byte[] truncated = Arrays.copyOf(good, kindAt + 5 + 2 * width); // two of the three values
      assertThatThrownBy(() -> ResultsCodec.decode(truncated, PARENT)).isInstanceOf(IOException.class)
          .hasMessageContaining("truncated");
      ChunkResult<Object> read = ResultsCodec.decode(good, PARENT);
      assertThat(Arrays.asList(read.value(0), read.value(1), read.value(2))).containsExactly(runs[k]);
    }
  }
}
