package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.ipc.shm.SegmentFile;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Values out of band ({@link SharedValues}): every type survives the trip through a segment, the
 * table is refused before any file is touched when it names another process's segment, a path,
 * an impossible length or position, and a segment that does not match its entry fails its item
 * alone. Runs in one JVM: the "sender" is this process.
 */
@Timeout(30)
class SharedValuesTest {

  private static final long SELF = ProcessHandle.current().pid();
  private final Codec codec = JdkCodec.create();
  private final SharedValueWriter writer = new SharedValueWriter(1024);

  @AfterEach
  void deleteSegments() throws IOException {
    writer.deleteCreated();
    assertThat(segmentsOf(SELF)).isEmpty();
  }

  static List<Path> segmentsOf(long pid) throws IOException {
    Path dir = SegmentFile.pathOf("x").getParent();
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("multiproc-pp-" + pid + "-")
          || f.getFileName().toString().startsWith("multiproc-.tmp-r-" + pid + "-pp-")).toList();
    }
  }

  @Test
  void shouldCarryEveryArrayTypeAndBufferAndSerializedValueThroughSegments() throws IOException {
    Random r = new Random(7);
    byte[] bytes = new byte[3 * SegmentFile.CHUNK_BYTES + 5]; // several staging chunks and a tail
    r.nextBytes(bytes);
    int[] ints = r.ints(5000).toArray();
    long[] longs = r.longs(3000).toArray();
    double[] doubles = r.doubles(2000).toArray();
    float[] floats = new float[300];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = i % 7 == 0 ? Float.NaN : r.nextFloat();
    }
    short[] shorts = new short[600];
    char[] chars = "out of band, ünïcode ✓ ".repeat(30).toCharArray();
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096).put(new byte[100]).put((byte) 9);
    buffer.flip().position(100); // one remaining byte... and an empty one below
    ByteBuffer wide = ByteBuffer.wrap(Arrays.copyOf(bytes, 2000), 10, 1500);
    ArrayList<String> generic = new ArrayList<>(List.of("a".repeat(3000)));

    List<Object> values = new ArrayList<>(List.of(bytes, ints, longs, doubles, floats, shorts, chars, buffer, wide));
    List<SharedValues.Entry> entries = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      assertThat(writer.isLarge(values.get(i))).as("item %d", i).isTrue();
      entries.add(writer.write(i, values.get(i)));
    }
    entries.add(writer.writeSerialized(values.size(), codec.encode(generic)));
    values.add(generic);
    values.add(7); // stays in the frame

    Object[] inline = new Object[values.size()];
    inline[values.size() - 1] = 7;
    PayloadWriter out = new PayloadWriter(64);
    ItemsEncoder.encode(Arrays.asList(inline), entries, codec, out, true);
    assertThat(out.buffer()[0]).isEqualTo(FastPathTags.SHARED);

    Object[] back = ItemsDecoder.decodeEach(new PayloadReader(out.toByteArray()), codec, values.size(),
        SharedValueReader.inPlace(SELF)).valuesOrThrow();

    assertThat((byte[]) back[0]).isEqualTo(bytes);
    assertThat((int[]) back[1]).isEqualTo(ints);
    assertThat((long[]) back[2]).isEqualTo(longs);
    assertThat((double[]) back[3]).isEqualTo(doubles);
    assertThat((float[]) back[4]).isEqualTo(floats);
    assertThat((short[]) back[5]).isEqualTo(shorts);
    assertThat((char[]) back[6]).isEqualTo(chars);
    assertThat((ByteBuffer) back[7]).isEqualTo(ByteBuffer.wrap(new byte[] {9}));
    assertThat(buffer.position()).as("the sender's buffer is not consumed").isEqualTo(100);
    assertThat((ByteBuffer) back[8]).isEqualTo(ByteBuffer.wrap(bytes, 10, 1500));
    assertThat(back[9]).isEqualTo(generic);
    assertThat(back[10]).isEqualTo(7);
  }

  @Test
  void shouldSendAnEmptyBufferAndKeepSmallArraysInTheFrame() throws IOException {
    assertThat(writer.isLarge(new byte[1023])).isFalse();
    assertThat(writer.isLarge(new int[256])).isTrue(); // 1024 bytes
    assertThat(writer.isLarge("x".repeat(5000))).isFalse(); // generic: measured by its serialized form
    assertThat(SharedValues.mayReach("x".repeat(5000), 1024)).isTrue();
    assertThat(SharedValues.mayReach("x".repeat(300), 1024)).as("3 bytes a char at most: never 1 KiB").isFalse();
    assertThat(SharedValues.mayReach(12L, 1)).isFalse();
    assertThat(SharedValues.mayReach(new byte[5000], 1)).as("sent by type, never serialized alone").isFalse();
    assertThat(SharedValues.mayReach(List.of(1), 1024)).isTrue();
    SharedValues.Entry empty = writer.write(0, ByteBuffer.allocate(0));
    Object back = SharedValueReader.inPlace(SELF).read(empty, codec);
    assertThat(back).isEqualTo(ByteBuffer.allocate(0));
  }

  @Test
  void shouldRefuseATableThatNamesAnotherProcessAPathOrAnImpossibleEntryBeforeTouchingAFile() {
    long worker = 4242;
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.BYTES, 10, "pp-" + SELF + "-abc")), worker,
        "must name a segment of process 4242");
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.BYTES, 10, "pp-4242-../../etc/passwd")), worker,
        "must name a segment of process 4242");
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.BYTES, 10, "pp-4242-abc/x")), worker,
        "must name a segment");
    assertRefused(List.of(new SharedValues.Entry(0, 0x55, 10, "pp-4242-abc")), worker, "known type");
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.LONGS, 12, "pp-4242-abc")), worker, "whole elements");
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.BYTES, 1L << 40, "pp-4242-abc")), worker, "length");
    assertRefused(List.of(new SharedValues.Entry(0, SharedValues.BYTES, -1, "pp-4242-abc")), worker, "length");
    assertRefused(List.of(new SharedValues.Entry(5, SharedValues.BYTES, 1, "pp-4242-abc")), worker, "position");
    assertRefused(List.of(new SharedValues.Entry(1, SharedValues.BYTES, 1, "pp-4242-a"),
        new SharedValues.Entry(1, SharedValues.BYTES, 1, "pp-4242-b")), worker, "position");
  }

  private void assertRefused(List<SharedValues.Entry> entries, long sender, String message) {
    PayloadWriter out = new PayloadWriter(64);
    ItemsEncoder.encode(Arrays.asList(new Object[2]), entries, codec, out, true);
    byte[] payload = out.toByteArray();
    assertThatThrownBy(() -> ItemsDecoder.decodeEach(new PayloadReader(payload), codec, 2,
        SharedValueReader.claimedFrom(sender))).isInstanceOf(IOException.class).hasMessageContaining(message);
  }

  @Test
  void shouldRefuseAnOutOfBandRunWhereNoReaderIsGiven() {
    PayloadWriter out = new PayloadWriter(64);
    ItemsEncoder.encode(Arrays.asList(new Object[1]),
        List.of(new SharedValues.Entry(0, SharedValues.BYTES, 1, "pp-" + SELF + "-1")), codec, out, true);
    byte[] payload = out.toByteArray();
    assertThatThrownBy(() -> ItemsDecoder.decodeEach(new PayloadReader(payload), codec, 1))
        .isInstanceOf(IOException.class).hasMessageContaining("SHARED");
  }

  @Test
  void shouldFailOnlyTheItemWhoseSegmentIsMissingASymbolicLinkOrOfAnotherSize() throws IOException {
    SharedValues.Entry good = writer.write(0, new byte[2048]);
    SharedValues.Entry missing = new SharedValues.Entry(1, SharedValues.BYTES, 2048, "pp-" + SELF + "-dead");
    SharedValues.Entry wrongSize = new SharedValues.Entry(2, SharedValues.BYTES, 4096, writer.write(2, new byte[2048])
        .name());
    Path target = Files.createTempFile("not-a-segment", ".txt");
    Path link = SegmentFile.pathOf("pp-" + SELF + "-11111");
    Files.createSymbolicLink(link, target);
    try {
      SharedValues.Entry linked = new SharedValues.Entry(3, SharedValues.BYTES, 0, "pp-" + SELF + "-11111");
      PayloadWriter out = new PayloadWriter(64);
      ItemsEncoder.encode(Arrays.asList(new Object[4]), List.of(good, missing, wrongSize, linked), codec, out, true);
      var items = ItemsDecoder.decodeEach(new PayloadReader(out.toByteArray()), codec, 4, SharedValueReader.inPlace(SELF));

      assertThat((byte[]) items.value(0)).hasSize(2048);
      assertThat(items.failure(1)).isInstanceOf(ItemDecodeException.class).hasStackTraceContaining("no segment file");
      assertThat(items.failure(2)).hasStackTraceContaining("must be a regular file of 4160 bytes");
      assertThat(items.failure(3)).hasStackTraceContaining("a symbolic link");
    } finally {
      Files.delete(link);
      Files.delete(target);
    }
  }

  @Test
  void shouldClaimASegmentSoThatItsCreatorsSweepLeavesItAndDeleteItOnceRead() throws IOException {
    SharedValues.Entry e = writer.write(0, new long[512]);
    SharedValueReader.claim(List.of(e));
    assertThat(SegmentFile.pathOf(e.name())).doesNotExist();
    assertThat(SegmentFile.claimedPathOf(e.name())).exists();

    assertThat((long[]) SharedValueReader.claimedFrom(SELF).read(e, codec)).hasSize(512);
    assertThat(SegmentFile.claimedPathOf(e.name())).doesNotExist();
  }

  @Test
  void shouldReadTheTableOfAResultsPayloadAndDecodeItsValuesFromClaimedSegments() throws IOException {
    Object[] values = {null, "small"};
    SharedValues.Entry e = writer.write(0, new double[300]);
    byte[] payload = ResultsCodec.encode(values, new Throwable[2], 5, codec, List.of(e));

    List<SharedValues.Entry> claimed = SharedValueReader.claim(ResultsCodec.outOfBand(payload, 2, SELF));
    assertThat(claimed).containsExactly(e);
    ChunkResult<Object> target = new ChunkResult<>(2);
    ResultsCodec.decodeInto(payload, codec, target, 0, 2, SharedValueReader.claimedFrom(SELF));

    assertThat((double[]) target.value(0)).hasSize(300);
    assertThat(target.value(1)).isEqualTo("small");
    assertThatThrownBy(() -> ResultsCodec.outOfBand(payload, 2, SELF + 1)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ResultsCodec.decodeInto(payload, codec, new ChunkResult<>(2), 0, 2))
        .isInstanceOf(IOException.class); // no reader: out-of-band values are malformed there
  }
}
