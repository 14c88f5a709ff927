package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.shm.SegmentSweeper;
import io.github.multiproc.processpool.plain.LargePayloadHolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large inputs and results travel through shared-memory segments instead of the worker's pipe,
 * transparently, and nothing is left in {@code /dev/shm}: after a normal map, after a worker
 * killed with {@code SIGKILL} while its result was in a segment, and after a parent killed with
 * {@code SIGKILL} mid-transfer (what it and its worker left is swept by the next pool's sweep).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargePayloadIT {

  private static final long SELF = ProcessHandle.current().pid();

  /** The out-of-band segments (named, or claimed) of the given processes. */
  static List<Path> segmentsOf(long... pids) throws IOException {
    Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> Arrays.stream(pids).anyMatch(pid -> {
        String name = f.getFileName().toString();
        return name.startsWith("multiproc-pp-" + pid + "-") || name.startsWith("multiproc-.tmp-r-" + pid + "-")
            || name.startsWith("multiproc-.tmp-c-" + pid + "-");
      })).toList();
    }
  }

  static final Task<byte[], byte[]> REVERSED = b -> {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  };

  @Test
  void shouldSendA64MiBArrayToAWorkerAndBackThroughSharedMemoryAndLeaveNoSegment() throws Exception {
    byte[] data = new byte[64 << 20]; // one frame's limit: through the pipe it cannot travel at all
    new Random(17).nextBytes(data);
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
      long worker = pool.workerPids().getFirst();
      byte[] back = pool.map(REVERSED, List.of(data)).getFirst();

      assertThat(back).hasSize(data.length);
      assertThat(back[0]).isEqualTo(data[data.length - 1]);
      assertThat(REVERSED.apply(back)).isEqualTo(data);
      assertThat(segmentsOf(SELF, worker)).isEmpty();
    }
  }

  /** What a worker received: its class, and its size in elements (or for a list, its elements). */
  static final Task<Object, Object> ECHO = v -> v;
  static final Task<Object, String> DESCRIBE = v -> v.getClass().getSimpleName() + ":" + switch (v) {
    case byte[] a -> a.length;
    case int[] a -> a.length;
    case long[] a -> a.length;
    case double[] a -> a.length;
    case ByteBuffer b -> b.remaining() + (b.hasArray() ? " heap" : " direct");
    case List<?> l -> l.size();
    default -> v.toString();
  };

  @Test
  void shouldCarryArraysBuffersAndLargeObjectsBothWaysInAMixedChunkAsTheyWereSent() throws IOException {
    Random r = new Random(3);
    byte[] bytes = new byte[200_000];
    r.nextBytes(bytes);
    int[] ints = r.ints(50_000).toArray();
    long[] longs = r.longs(20_000).toArray();
    double[] doubles = r.doubles(20_000).toArray();
    ByteBuffer direct = ByteBuffer.allocateDirect(100_000).put(bytes, 0, 100_000).flip();
    ArrayList<String> bigList = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      bigList.add("item " + i); // ~60 KB serialized: over the threshold only as a whole object
    }
    List<Object> inputs = Arrays.asList(bytes, "small", ints, longs, 42, doubles, direct, bigList, new int[3], null);
    MapOptions oneChunk = MapOptions.builder().chunkSize(inputs.size()).build();
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD)
        .largePayloadThreshold(32 << 10).build()) {
      long worker = pool.workerPids().getFirst();

      List<String> seen = pool.map(DESCRIBE, inputs.subList(0, 9), oneChunk);
      List<Object> back = pool.map(ECHO, inputs, oneChunk);

      assertThat(seen).containsExactly("byte[]:200000", "String:small", "int[]:50000", "long[]:20000", "Integer:42",
          "double[]:20000", "HeapByteBuffer:100000 heap", "ArrayList:5000", "int[]:3");
      assertThat((byte[]) back.get(0)).isEqualTo(bytes);
      assertThat(back.get(1)).isEqualTo("small");
      assertThat((int[]) back.get(2)).isEqualTo(ints);
      assertThat((long[]) back.get(3)).isEqualTo(longs);
      assertThat(back.get(4)).isEqualTo(42);
      assertThat((double[]) back.get(5)).isEqualTo(doubles);
      assertThat(back.get(6)).isEqualTo(ByteBuffer.wrap(bytes, 0, 100_000));
      assertThat(direct.position()).as("the caller's buffer is not consumed").isZero();
      assertThat(back.get(7)).isEqualTo(bigList);
      assertThat((int[]) back.get(8)).containsExactly(0, 0, 0);
      assertThat(back.get(9)).isNull();
      assertThat(segmentsOf(SELF, worker)).isEmpty();
    }
  }

  @Test
  void shouldReturnALargeResultFromAJvmProcessThroughSharedMemory() throws Exception {
    JvmProcess<int[]> child = JvmProcess.builder().output(WorkerOutput.DISCARD)
        .start(() -> java.util.stream.IntStream.range(0, 1 << 20).toArray()); // 4 MiB
    int[] back = child.result();

    assertThat(back).hasSize(1 << 20);
    assertThat(back[(1 << 20) - 1]).isEqualTo((1 << 20) - 1);
    assertThat(segmentsOf(SELF, child.pid())).isEmpty();
  }

  @Test
  void shouldFailTheItemAndLeaveNoSegmentWhenTheWorkerIsKilledWithItsResultInSharedMemory() throws IOException {
    byte[] data = new byte[8 << 20];
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD)
        .faultInjector(FaultInjector.at(FaultInjector.Stage.RESULT_ENCODE, 2, FaultInjector.Action.KILL)).build()) {
      long worker = pool.workerPids().getFirst();

      Throwable t = catchThrowable(() -> pool.map(REVERSED, List.of(data, data, data), MapOptions.builder()
          .chunkSize(1).build())); // input #2's result is in its segment when the worker is killed

      assertThat(t).isInstanceOf(WorkerDiedException.class).hasMessageContaining("input #2")
          .hasMessageContaining("SIGKILL");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(segmentsOf(SELF, worker)).isEmpty());
      assertThat(pool.map(REVERSED, List.of(new byte[] {1, 2}))).containsExactly(new byte[] {2, 1});
    }
  }

  @Test
  void shouldLeaveNoSegmentOnceTheSweepRanAfterAParentKilledMidTransfer() throws Exception {
    Process parent = PlainJava.command(List.of(), PlainJava.moduleClassPath(), LargePayloadHolder.class)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long[] pids = PlainJava.readPids(parent).stream().mapToLong(Long::longValue).toArray();
      ProcessHandle worker = ProcessHandle.of(pids[1]).orElseThrow();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
          .until(() -> !segmentsOf(pids).isEmpty()); // mid-transfer: a segment of one side exists

      parent.destroyForcibly(); // SIGKILL: no hook runs; the worker is killed by its parent-death signal
      assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !ParentDeathIT.running(worker));

      SegmentSweeper.sweepNamed("pp-"); // what a new pool runs once at its start
      assertThat(segmentsOf(pids)).isEmpty();
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }
}
