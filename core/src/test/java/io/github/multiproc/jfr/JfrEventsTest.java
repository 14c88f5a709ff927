package io.github.multiproc.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Pool;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.VirtualThreadPool;
import io.github.multiproc.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's JFR events, recorded in this JVM and read back from the file: one {@code Call} per
 * call with its kind, items and outcome, and a {@code TaskTimeout} per timed-out item.
 */
class JfrEventsTest {

  @TempDir
  Path dir;

  @Test
  void shouldRecordEachCallWithItsKindItemsAndOutcome() throws Exception {
    List<RecordedEvent> events;
    try (Recording recording = new Recording(); Pool pool = ThreadPool.create(2)) {
      recording.enable("io.github.multiproc.Call").withoutThreshold();
      recording.start();
      pool.map(x -> x + 1, IntStream.range(0, 100).boxed().toList());
      assertThatThrownBy(() -> pool.map(x -> 10 / (x - 3), List.of(1, 2, 3, 4)))
          .isInstanceOf(TaskFailedException.class);
      Iterator<Integer> lazy = pool.imap(x -> x, List.of(1, 2, 3));
      lazy.forEachRemaining(x -> { });
      pool.imapUnordered(x -> x, List.of(1, 2)).forEachRemaining(x -> { });
      assertThat(pool.submit(() -> 42).join()).isEqualTo(42);
      assertThatThrownBy(() -> pool.submit(() -> {
        throw new IllegalStateException("no");
      }).join()).isInstanceOf(CompletionException.class);
      recording.stop();
      events = read(recording);
    }

    assertThat(events).allSatisfy(e -> assertThat(e.getEventType().getName()).isEqualTo("io.github.multiproc.Call"))
        .allSatisfy(e -> assertThat(e.getString("pool")).isEqualTo("ThreadPool"));
    assertThat(events).extracting(e -> e.getString("kind") + " " + e.getLong("items") + " " + e.getString("outcome"))
        .containsExactly("map 100 completed", "map 4 failed", "imap 3 completed", "imapUnordered 2 completed",
            "submit 1 completed", "submit 1 failed");
    assertThat(events.getFirst().getDuration()).isPositive();
  }

  @Test
  void shouldRecordATimedOutItemWithItsIndexAndTimeout() throws Exception {
    List<RecordedEvent> events;
    try (Recording recording = new Recording(); Pool pool = VirtualThreadPool.create()) {
      recording.enable("io.github.multiproc.TaskTimeout");
      recording.enable("io.github.multiproc.Call").withoutThreshold();
      recording.start();
      MapOptions timeout = MapOptions.builder().taskTimeout(Duration.ofMillis(100)).build();
      assertThatThrownBy(() -> pool.map(x -> {
        if (x == 1) {
          Work.pause(Duration.ofMinutes(5)); // interrupted at its timeout
        }
        return x;
      }, List.of(0, 1, 2), timeout)).isInstanceOf(TaskTimeoutException.class);
      recording.stop();
      events = read(recording);
    }

    assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.github.multiproc.TaskTimeout"))
        .singleElement().satisfies(e -> {
          assertThat(e.getString("pool")).isEqualTo("VirtualThreadPool");
          assertThat(e.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
          assertThat(e.getLong("index")).isEqualTo(1);
          assertThat(e.getDuration("timeout")).isEqualTo(Duration.ofMillis(100));
        });
    assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.github.multiproc.Call"))
        .singleElement().satisfies(e -> assertThat(e.getString("outcome")).isEqualTo("failed"));
  }

  @Test
  void shouldRecordNothingWhileNoRecordingIsOn() {
    assertThat(CallEvent.begin("ThreadPool", CallEvent.MAP)).isNull();
    assertThat(WorkerExitEvent.wanted()).isFalse();
  }

  private List<RecordedEvent> read(Recording recording) throws Exception {
    Path file = dir.resolve("run.jfr");
    recording.dump(file);
    return RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("io.github.multiproc."))
        .sorted(java.util.Comparator.comparing(RecordedEvent::getEndTime))
        .toList();
  }
}
