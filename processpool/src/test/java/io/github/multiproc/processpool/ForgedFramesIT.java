package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.Job;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.Work;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A compromised worker writes forged frames of each kind into its protocol pipe (a task opens the
 * pipe behind the worker's back): the parent must fail only what that worker held, with the
 * protocol's error or its death, name what was wrong, replace the worker, and go on; never hang,
 * never take a forged answer as a result.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ForgedFramesIT {

  /** The forged bytes, and a word the failure must contain. */
  enum Forgery {
    TRUNCATED(header(1 << 20, 0x04, 1), "truncated frame"),
    UNKNOWN_TYPE(frame(0x7E, 1, new byte[0]), "frame type code"),
    RESULTS_FOR_A_BATCH_IT_DOES_NOT_HOLD(frame(0x04, 987_654, results(1)), "did not hold"),
    // batch 2 is the forger's own (a fresh pool numbers the call 1 and the batch 2)
    RESULTS_WITH_A_HUGE_COUNT(frame(0x04, 2, ByteBuffer.allocate(22).putLong(0).putInt(Integer.MAX_VALUE - 8).array()),
        "item(s) for the 1"),
    A_SECOND_HELLO(frame(0x01, 0, new byte[20]), "does not accept HELLO"),
    A_PARENTS_MESSAGE(frame(0x03, 1, new byte[16]), "does not accept TASKS"),
    A_LENGTH_OVER_THE_LIMIT(header(Integer.MAX_VALUE - 64, 0x04, 1), "length"),
    RESULTS_NAMING_ANOTHER_PROCESSS_SHARED_MEMORY(frame(0x04, 2, sharedResults("pp-1-abc")), "may not"),
    RESULTS_NAMING_A_PATH_AS_SHARED_MEMORY(frame(0x04, 2, sharedResults("../../etc/passwd")), "may not");

    final byte[] bytes;
    final String says;

    Forgery(byte[] bytes, String says) {
      this.bytes = bytes;
      this.says = says;
    }
  }

  static byte[] header(int payloadLength, int type, long id) {
    return ByteBuffer.allocate(13).putInt(9 + payloadLength).put((byte) type).putLong(id).array();
  }

  static byte[] frame(int type, long id, byte[] payload) {
    return ByteBuffer.allocate(13 + payload.length).put(header(payload.length, type, id)).put(payload).array();
  }

  /** A RESULTS of one value out of band, in a segment of the given name (kind 0x7D: SharedValues). */
  static byte[] sharedResults(String segment) {
    byte[] name = segment.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(8 + 4 + 1 + 4 + 4 + 4 + 1 + 8 + 1 + name.length + 5 + 4).putLong(0).putInt(1)
        .put((byte) 0x7D).putInt(1).putInt(1).putInt(0).put((byte) 1).putLong(10).put((byte) name.length).put(name)
        .put((byte) 0).putInt(1).putInt(0).array();
  }

  static byte[] results(int count) {
    return ByteBuffer.allocate(14).putLong(0).putInt(count).put((byte) 0).put((byte) 0).array();
  }

  /** Writes bytes into this worker's protocol pipe to its parent, then waits to be stopped. */
  record Forge(byte[] bytes) implements Job<String> {
    @Override
    public String call() throws Exception {
      try (FileOutputStream out = new FileOutputStream(protocolPipe().toFile())) {
        out.write(bytes);
        out.flush();
      }
      Work.pause(Duration.ofMinutes(1)); // the parent must act without waiting for this
      return "never";
    }

    static Path protocolPipe() throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.filter(fd -> {
          try {
            return Files.readSymbolicLink(fd).toString().contains("to-parent");
          } catch (IOException e) {
            return false;
          }
        }).findFirst().orElseThrow(() -> new IOException("no protocol pipe among /proc/self/fd"));
      }
    }
  }

  /**
   * Writes one 16 MiB frame (a malformed answer) into its protocol pipe in
   * 64 KiB pieces with pauses, so the frame takes longer than the heartbeat timeout and the stall
   * limit but keeps flowing, then waits to be stopped.
   */
  record SlowFrame() implements Job<String> {
    static final int PAYLOAD = 16 << 20;
    static final int PIECE = 128 << 10;

    @Override
    public String call() throws Exception {
      try (FileOutputStream out = new FileOutputStream(Forge.protocolPipe().toFile())) {
        out.write(header(PAYLOAD, 0x04, 987_654));
        byte[] piece = new byte[PIECE];
        for (int sent = 0; sent < PAYLOAD; sent += PIECE) {
          out.write(piece);
          out.flush();
          Work.pause(Duration.ofMillis(25)); // 128 pieces: over 3 s, at 5 MiB/s or less (4x the floor)
        }
      }
      Work.pause(Duration.ofMinutes(1));
      return "never";
    }
  }

  @Test
  void shouldReadALargeFrameThatKeepsFlowingPastTheHeartbeatTimeoutBeforeJudgingIt() {
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
        .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1)).build()) {
      Throwable t = catchThrowable(() -> pool.submit(new SlowFrame()).get(60, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class);
      assertThat(t.getCause()).as("judged on its content, not killed as truncated or unresponsive while it flowed")
          .hasMessageContaining("malformed RESULTS for batch 987654").hasMessageNotContaining("truncated").hasMessageNotContaining("unresponsive");
    }
  }

  @Test
  void shouldFailTheBatchWhenItsWorkerIsKilledWhileALargeFrameFlows() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
        .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(1)).build()) {
      long pid = pool.workerPids().getFirst();
      var job = pool.submit(new SlowFrame());
      // the frame takes over 3 s; a second in, it is flowing: kill the worker mid-frame
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      Throwable t = catchThrowable(() -> job.get(30, TimeUnit.SECONDS));
      assertThat(t).as("never a hang, never a result").isInstanceOf(ExecutionException.class);
      assertThat(t.getCause()).isInstanceOf(TaskFailedException.class);
      await().atMost(Duration.ofSeconds(20)).until(() -> pool.workerPids().size() == 1
          && !pool.workerPids().contains(pid));
      assertThat(pool.map(x -> x * 3, List.of(1, 2, 3))).containsExactly(3, 6, 9);
    }
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void shouldFailOnlyWhatTheForgerHeldAndGoOn(Forgery forgery) throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false).output(WorkerOutput.DISCARD)
        .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(30)).build()) {
      long pid = pool.workerPids().getFirst();
      Throwable t = catchThrowable(() -> pool.submit(new Forge(forgery.bytes)).get(30, TimeUnit.SECONDS));
      assertThat(t).as("never a result, never a hang").isInstanceOf(ExecutionException.class);
      assertThat(t.getCause()).isInstanceOf(TaskFailedException.class);
      assertThat(t.getCause()).hasMessageContaining(forgery.says);
      await().atMost(Duration.ofSeconds(20)).until(() -> pool.workerPids().size() == 1
          && !pool.workerPids().contains(pid));
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(pool.map(x -> x * 3, List.of(1, 2, 3))).containsExactly(3, 6, 9);
    }
  }
}
