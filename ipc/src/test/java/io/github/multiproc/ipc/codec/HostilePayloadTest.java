package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile payloads: each is refused, and the decoding thread allocates at most
 * {@code 4 × the bytes received + a constant} while refusing it (counted by the JVM's
 * per-thread allocation counter, not by time).
 */
@Timeout(60)
class HostilePayloadTest {

  /** What any decode may allocate besides: the streams' own buffers, the exception and its message. */
  private static final long CONSTANT = 96 << 10;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final JdkCodec codec = JdkCodec.create();

  @BeforeAll
  static void warmUp() {
    // first use loads and initializes the stream classes; what that allocates is not the payload's
    JdkCodec c = JdkCodec.create();
    for (int i = 0; i < 50; i++) {
      c.decode(c.encode(new ArrayList<>(List.of(new long[1], new HashMap<>(), new HashSet<>(), "s"))));
      try {
        c.decode(longArray(1 << 30));
      } catch (CodecException expected) {
        // warming the refusal path too
      }
    }
  }

  /** A serialized {@code long[0]} whose length field says {@code length}: 27 bytes. */
  static byte[] longArray(int length) {
    byte[] b = JdkCodec.create().encode(new long[0]);
    ByteBuffer.wrap(b).putInt(b.length - 4, length);
    return b;
  }

  /** The size every honest collection below has: an int found nowhere else in its stream. */
  private static final int MARKER = 0x123;

  /** A serialized {@code value} with every int equal to {@link #MARKER} replaced by {@code replacement}. */
  static byte[] patchCount(Object value, int replacement) {
    byte[] b = JdkCodec.create().encode(value);
    ByteBuffer buf = ByteBuffer.wrap(b);
    int found = 0;
    for (int i = 0; i + 4 <= b.length; i++) {
      if (buf.getInt(i) == MARKER) {
        buf.putInt(i, replacement);
        found++;
      }
    }
    assertThat(found).as("count fields found").isPositive();
    return b;
  }

  private static long allocatedBy(Callable<?> decode) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      decode.call();
    } catch (Exception expected) {
      // each case asserts the refusal separately
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  private void assertRefusedWithinBudget(byte[] payload, String why) {
    assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining(why);
    long allocated = allocatedBy(() -> codec.decode(payload));
    assertThat(allocated).as("bytes allocated refusing a %d-byte payload", payload.length)
        .isLessThanOrEqualTo(4L * payload.length + CONSTANT);
  }

  @Test
  void shouldRefuseALongArrayOfSixtyMillionDeclaredInTwentySevenBytes() {
    byte[] payload = longArray(60_000_000);
    assertThat(payload).hasSizeLessThan(69);
    assertRefusedWithinBudget(payload, "an array of 60000000 long (480000000 bytes) must fit 4 x the 27-byte payload");
  }

  @Test
  void shouldRefuseCollectionsThatDeclareMoreElementsThanTheyHold() {
    List<Object> nulls = new ArrayList<>();
    HashMap<Integer, Integer> map = new HashMap<>();
    HashSet<Integer> set = new HashSet<>();
    for (int i = 0; i < MARKER; i++) {
      nulls.add(null);
      map.put(100_000 + i, null);
      set.add(100_000 + i);
    }
    assertRefusedWithinBudget(patchCount(new ArrayList<>(nulls), 1 << 25), "must fit 4 x the");
    assertRefusedWithinBudget(patchCount(map, 1 << 25), "must fit 4 x the");
    assertRefusedWithinBudget(patchCount(set, 1 << 25), "must fit 4 x the");
    assertRefusedWithinBudget(patchCount(nulls.toArray(), 1 << 25), "must fit 4 x the");
    assertRefusedWithinBudget(patchCount(nulls.toArray(), Integer.MAX_VALUE - 9), "array length must be <= maxArrayLength");
  }

  @Test
  void shouldStillDecodeHonestArraysAndCollectionsOfEveryShape() {
    Object[] nulls = new Object[100_000];
    assertThat((Object[]) codec.decode(codec.encode(nulls))).hasSize(100_000);
    byte[] bytes = new byte[1 << 20];
    assertThat((byte[]) codec.decode(codec.encode(bytes))).hasSize(1 << 20);
    HashMap<Integer, Integer> map = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      map.put(i, null);
    }
    assertThat(codec.decode(codec.encode(map))).isEqualTo(map);
  }

  @Test
  void shouldRefuseNestedSetsThatShareTheirElementsBeforeHashingRunsAway() {
    // the classic "billion laughs" of Java serialization: 2^100 hash steps from ~5 KiB
    Set<Object> root = new HashSet<>();
    Set<Object> s1 = root;
    Set<Object> s2 = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Set<Object> t1 = new HashSet<>();
      Set<Object> t2 = new HashSet<>();
      t1.add("foo");
      s1.add(t1);
      s1.add(t2);
      s2.add(t1);
      s2.add(t2);
      s1 = t1;
      s2 = t2;
    }
    byte[] payload = codec.encode(root);
    assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(CodecException.class)
        .hasMessageContaining("billion laughs");
    Set<Object> tree = new HashSet<>(); // nested as deep, but a tree: linear to rebuild
    for (int i = 0; i < 100; i++) { // built inside out, so no set changes after it is added
      Set<Object> outer = new HashSet<>();
      outer.add(tree);
      outer.add("level " + i);
      tree = outer;
    }
    Object back = codec.decode(codec.encode(tree));
    assertThat(back.equals(tree)).as("the nested tree decodes equal").isTrue(); // never printed: 100 levels
  }

  @Test
  void shouldStopADecodeWhoseThreadIsInterruptedAndKeepTheStatus() {
    byte[] payload = codec.encode(new ArrayList<>(List.of(1, 2, 3)));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> codec.decode(payload)).isInstanceOf(RejectedPayloadException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
