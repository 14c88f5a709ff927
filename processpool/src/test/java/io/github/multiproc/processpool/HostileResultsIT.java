package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A compromised worker answers its batch with a well-formed RESULTS frame whose one value is a
 * hostile serialized graph, small on the wire and huge or endless to rebuild. End to end, through
 * the pipe, the frame reader, the results decoder and the codec, the parent must refuse it as that
 * item's failure and allocate, in all its threads together, no more than 4 times the bytes it
 * received plus a constant (the bound; the codec alone is held to it in
 * {@code HostilePayloadTest}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileResultsIT {

  /** Every honest collection below has this size: an int found nowhere else in its payload. */
  private static final int MARKER = 0x123;
  /** What the parent may allocate besides 4 x the payload: its own bookkeeping during the call. */
  private static final long CONSTANT = 16L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** A value, what its count fields are changed to (0: unchanged), and a word of the refusal. */
  enum Hostile {
    LONG_ARRAY_OF_SIXTY_MILLION(() -> new long[MARKER], 60_000_000, "must fit 4 x the"),
    LIST_DECLARING_2_25_NULLS(() -> new ArrayList<>(nulls()), 1 << 25, "must fit 4 x the"),
    MAP_DECLARING_2_25_ENTRIES(() -> {
      HashMap<Integer, Integer> map = new HashMap<>();
      for (int i = 0; i < MARKER; i++) {
        map.put(100_000 + i, null);
      }
      return map;
    }, 1 << 25, "must fit 4 x the"),
    OBJECT_ARRAY_OF_2_25(() -> nulls().toArray(), 1 << 25, "must fit 4 x the"),
    NESTED_SETS_BILLION_LAUGHS(HostileResultsIT::billionLaughs, 0, "billion laughs");

    final Supplier<Object> value;
    final int declared;
    final String says;

    Hostile(Supplier<Object> value, int declared, String says) {
      this.value = value;
      this.declared = declared;
      this.says = says;
    }

    /** The RESULTS payload of a one-item answer carrying the hostile value. */
    byte[] payload() {
      byte[] b = ResultsCodec.encode(new Object[] {value.get()}, new Throwable[1], 0, JdkCodec.create());
      if (declared != 0) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        int found = 0;
        for (int i = 12; i + 4 <= b.length; i++) { // after executionNanos and the item count
          if (buf.getInt(i) == MARKER) {
            buf.putInt(i, declared);
            found++;
          }
        }
        assertThat(found).as("count fields found").isPositive();
      }
      return b;
    }
  }

  private static List<Object> nulls() {
    List<Object> nulls = new ArrayList<>();
    for (int i = 0; i < MARKER; i++) {
      nulls.add(null);
    }
    return nulls;
  }

  private static Set<Object> billionLaughs() {
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
    return root;
  }

  @ParameterizedTest
  @EnumSource(Hostile.class)
  void shouldRefuseTheValueAsItsItemsFailureWithinFourTimesTheBytesReceived(Hostile hostile) throws Exception {
    byte[] payload = hostile.payload();
    // RESULTS for the forger's own batch: a fresh pool numbers the call 1 (its DEFINE) and the batch 2
    byte[] frame = ForgedFramesIT.frame(0x04, 2, payload);
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD).build()) {
      long pid = pool.workerPids().getFirst();
      long before = THREADS.getTotalThreadAllocatedBytes();
      Throwable t = catchThrowable(() -> pool.submit(new ForgedFramesIT.Forge(frame)).get(60, TimeUnit.SECONDS));
      long allocated = THREADS.getTotalThreadAllocatedBytes() - before;

      assertThat(t).as("never a result, never a hang").isInstanceOf(ExecutionException.class);
      assertThat(t.getCause()).as("the value's refusal").isInstanceOf(ItemDecodeException.class)
          .hasMessageContaining(hostile.says);
      assertThat(allocated).as("bytes the parent allocated refusing a %d-byte payload", payload.length)
          .isLessThanOrEqualTo(4L * frame.length + CONSTANT);
      assertThat(pool.workerPids()).as("a value that does not decode is its item's failure, not the worker's: %s",
          t.getCause())
          .containsExactly(pid);
      pool.shutdownNow(); // the forger pauses: no need to wait for it
    }
  }
}
