package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.Work;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.jfr.FlightRecorderGateTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process pool's JFR events, recorded in this JVM around a pool's life: a start per worker, a
 * real {@code SIGKILL} (an unplanned exit with signal 9 and the item it lost, then a start that
 * replaces it), and the planned exits of close.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessPoolJfrIT {

  @Test
  void shouldNotLoadTheFlightRecorderInTheParentWhenNothingRecords() throws Exception {
    List<String> loaded = FlightRecorderGateTest.classesLoadedBy(ShortProgram.class);

    assertThat(loaded).contains(ShortProgram.class.getName());
    assertThat(loaded).doesNotContain("jdk.jfr.Event")
        .noneMatch(c -> c.startsWith("jdk.jfr.internal."))
        .noneMatch(c -> c.startsWith("io.github.multiproc.jfr.") && c.endsWith("Event"));
  }

  /** A short program: a pool of two workers, one map, close (so workers start, work and exit). */
  public static final class ShortProgram {
    private ShortProgram() {}

    /**
     * Runs it.
     *
     * @param args unused
     */
    public static void main(String[] args) {
      try (ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).build()) {
        pool.map((Integer x) -> x * x, List.of(1, 2, 3, 4));
      }
    }
  }

  @TempDir
  Path dir;

  @Test
  void shouldRecordWorkerStartsAKilledWorkersExitAndItsReplacementAndTheExitsOfClose() throws Exception {
    List<RecordedEvent> events;
    long killed;
    List<Long> first;
    try (Recording recording = new Recording()) {
      recording.enable("io.github.multiproc.WorkerStart");
      recording.enable("io.github.multiproc.WorkerExit");
      recording.start();
      try (ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.DISCARD).build()) {
        first = pool.workerPids();
        Path started = dir.resolve("started");
        String startedFile = started.toString();
        CompletableFuture<Object> dying = pool.submit(() -> {
          Files.writeString(Path.of(startedFile), Long.toString(ProcessHandle.current().pid()));
          Work.pause(Duration.ofMinutes(5)); // the test kills this worker
          return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started) && Files.size(started) > 0);
        killed = Long.parseLong(Files.readString(started));
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        assertThatThrownBy(dying::get).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(WorkerDiedException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.workerPids().size() == 2
            && !pool.workerPids().contains(killed));
      }
      recording.stop();
      Path file = dir.resolve("pool.jfr");
      recording.dump(file);
      events = RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().startsWith("io.github.multiproc."))
          .sorted(Comparator.comparing(RecordedEvent::getEndTime)).toList();
    }

    List<RecordedEvent> starts = events.stream()
        .filter(e -> e.getEventType().getName().equals("io.github.multiproc.WorkerStart")).toList();
    assertThat(starts).hasSize(3).allSatisfy(e -> {
      assertThat(e.getString("pool")).isEqualTo("ProcessPool");
      assertThat(e.getDuration("timeToReady")).isPositive();
    });
    assertThat(starts.subList(0, 2)).extracting(e -> e.getLong("pid")).containsExactlyInAnyOrderElementsOf(first);
    assertThat(starts.subList(0, 2)).allSatisfy(e -> assertThat(e.getLong("replacesPid")).isZero());
    assertThat(starts.get(2).getLong("replacesPid")).isEqualTo(killed);

    List<RecordedEvent> exits = events.stream()
        .filter(e -> e.getEventType().getName().equals("io.github.multiproc.WorkerExit")).toList();
    assertThat(exits).hasSize(3);
    assertThat(exits.getFirst()).satisfies(e -> {
      assertThat(e.getLong("pid")).isEqualTo(killed);
      assertThat(e.getString("reason")).isEqualTo("died");
      assertThat(e.getBoolean("planned")).isFalse();
      assertThat(e.getInt("exitCode")).isEqualTo(137);
      assertThat(e.getInt("signal")).isEqualTo(9);
      assertThat(e.getLong("itemsLost")).isEqualTo(1);
      assertThat(e.getLong("itemsRetried")).isZero();
    });
    assertThat(exits.subList(1, 3)).allSatisfy(e -> {
      assertThat(e.getString("reason")).isEqualTo("closed");
      assertThat(e.getBoolean("planned")).isTrue();
      // a worker closes its pipe before it exits: its exit code may not be known yet (-1)
      assertThat(e.getInt("exitCode")).isIn(0, -1);
      assertThat(e.getInt("signal")).isZero();
      assertThat(e.getLong("itemsLost")).isZero();
    });
  }
}
