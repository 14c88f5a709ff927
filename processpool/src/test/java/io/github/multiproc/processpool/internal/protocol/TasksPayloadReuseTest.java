package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A TASKS payload encoded over an array that held another payload (the pool reuses the payloads
 * of answered batches) is byte for byte the payload encoded into a fresh array, whatever the
 * stale bytes and whatever the items' kinds: every byte of it is written. A run of numbers takes a
 * pass of its own (no search for large inputs) and comes out as the general encoder writes it.
 */
class TasksPayloadReuseTest {

  private static final Codec CODEC = JdkCodec.create();

  @Test
  void shouldEncodeOverAnyStaleBytesExactlyAsIntoAFreshArray() {
    qt().forAll(items(), integers().between(0, 255)).checkAssert((items, stale) -> {
      byte[] fresh = ParentMessage.Tasks.encode(7, 1_000, items, CODEC).finish();
      byte[] dirty = new byte[fresh.length];
      Arrays.fill(dirty, (byte) (int) stale);

      boolean[] lent = {false};

      byte[] reused = ParentMessage.Tasks.encode(7, 1_000, items, List.of(), CODEC, size -> {
        lent[0] = size == dirty.length; // the expected size was exact: the stale array is written over
        return lent[0] ? dirty : null;
      }).finish();

      assertThat(reused).isEqualTo(fresh);
      if (lent[0]) {
        assertThat(reused).as("written in place: no copy").isSameAs(dirty);
      }
    });
  }

  @Test
  void shouldEncodeARunOfNumbersInItsOwnPassAsTheGeneralEncoderDoes() {
    qt().forAll(items()).checkAssert(items -> {
      Class<?> type = items.getFirst() == null ? null : items.getFirst().getClass();
      boolean numbers = (type == Integer.class || type == Long.class || type == Double.class)
          && items.stream().allMatch(i -> i != null && i.getClass() == type);

      PayloadWriter fixed = ParentMessage.Tasks.encodeFixedWidth(7, 1_000, items, size -> null);

      if (numbers) {
        assertThat(fixed).isNotNull();
        assertThat(fixed.finish()).isEqualTo(ParentMessage.Tasks.encode(7, 1_000, items, CODEC).finish());
      } else {
        assertThat(fixed).as("left to the general path").isNull();
      }
    });
  }

  private static Gen<List<Object>> items() {
    Gen<Object> ints = integers().all().map(i -> (Object) i);
    Gen<Object> longValues = longs().all().map(l -> (Object) l);
    Gen<Object> texts = strings().allPossible().ofLengthBetween(0, 12).map(s -> (Object) s);
    Gen<Object> doubles = longs().all().map(l -> (Object) Double.longBitsToDouble(l));
    Gen<Object> mixed = ints.mix(texts, 50).mix(longValues, 30);
    return integers().between(0, 4).flatMap(kind -> lists().of(switch (kind) {
      case 0 -> ints;
      case 1 -> longValues;
      case 2 -> texts;
      case 3 -> doubles;
      default -> mixed;
    }).ofSizeBetween(1, 60));
  }
}
