package io.github.multiproc.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.Pool;
import io.github.multiproc.ThreadPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A pool used with no recording leaves the Flight Recorder alone: the first event class would
 * cost its JVM 110-160 ms of set-up, cold. Checked in a fresh JVM, whose class loading is
 * logged; {@link JfrEventsTest} checks that the events still come when a recording is on.
 */
public class FlightRecorderGateTest {

  @Test
  void shouldNotLoadTheFlightRecorderWhenNothingRecords() throws Exception {
    List<String> loaded = classesLoadedBy(Program.class);

    assertThat(loaded).contains(Program.class.getName()); // the log works
    assertThat(loaded).doesNotContain("jdk.jfr.Event")
        .noneMatch(c -> c.startsWith("jdk.jfr.internal."))
        .noneMatch(c -> c.startsWith("io.github.multiproc.jfr.") && c.endsWith("Event"));
  }

  @Test
  void shouldOpenOnceARecordingIsStarted() throws Exception {
    try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
      recording.start();
      assertThat(FlightRecorderGate.open()).isTrue();
    }
  }

  /**
   * The classes a fresh JVM loads while it runs {@code main}, from {@code -Xlog:class+load}.
   *
   * @param main a class with a {@code main} method on this JVM's class path
   * @return the names of the classes loaded, in order
   * @throws IOException if the JVM cannot be started
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static List<String> classesLoadedBy(Class<?> main) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xlog:class+load=info:stdout:none", "-cp",
        System.getProperty("java.class.path"), main.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().map(l -> l.split(" ")[0]).toList();
  }

  /** Maps, submits and fails on a thread pool, as a short program does. */
  public static final class Program {
    private Program() {}

    /**
     * Runs the calls.
     *
     * @param args unused
     */
    public static void main(String[] args) {
      try (Pool pool = ThreadPool.create(2)) {
        pool.map(x -> x * x, IntStream.range(0, 1000).boxed().toList());
        pool.submit(() -> 42).join();
        pool.submit(() -> {
          throw new IllegalStateException("expected");
        }).exceptionally(t -> null).join();
        pool.imap(x -> x, List.of(1, 2)).forEachRemaining(x -> { });
      }
    }
  }
}
