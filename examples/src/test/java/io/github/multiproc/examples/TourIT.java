package io.github.multiproc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the README's tour, every section, with real worker JVMs, and checks what it prints: the
 * examples a new user runs first must keep working.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TourIT {

  @Test
  void shouldRunEverySectionOfTheTourAndShowWhatEachPromises() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> shmBefore = shmFiles();
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      Tour.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String tour = captured.toString(StandardCharsets.UTF_8);
    original.print(tour);
    assertThat(tour)
        .contains("the caller's list is [thread]")                  // threads share memory
        .contains("Main process: []")                               // processes are isolated
        .containsPattern("speed-up on \\d+ cores: threads [0-9.]+x, processes [0-9.]+x")
        .containsPattern("VirtualThreadPool [0-9.]+ s")
        .contains("parent took from the queue: hello")              // the seed's queue demo
        .contains("the worker answered 10001 pings")                // pipe ping-pong
        .contains("counter = 2,000,000 (expected 2,000,000)")       // shared counter
        .contains("the parent reads the map the workers filled: [manager, map, parent, proxy, shared, worker]")
        .contains("letters counted in the manager: 33 (expected 33)") // a Manager's map and counter
        .contains("multiproc.backend=process  -> ProcessPool")      // config alone
        .contains("signal 9 SIGKILL")                               // a worker killed mid-map
        .contains("one replaced, the pool goes on")
        .containsPattern("pool.stats\\(\\): \\d+ items completed, 1 failed; 1 worker\\(s\\) replaced after a death")
        .containsPattern("ThreadPool\\(2\\): 8/8 \\(100%\\) in [0-9.]+ s")  // the library's progress listener
        .contains("Tour done");
    // captured, not a terminal: plain lines, no carriage returns or escape codes, no library log lines
    assertThat(tour).doesNotContain("\r").doesNotContain("\u001b").doesNotContain(" WARN ").doesNotContain(" INFO ")
        .startsWith("== 1. ");
    assertThat(shmFiles()).isEqualTo(shmBefore);
  }

  private static List<String> shmFiles() throws Exception {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return List.of();
    }
    try (var files = Files.list(shm)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("multiproc")).sorted().toList();
    }
  }
}
