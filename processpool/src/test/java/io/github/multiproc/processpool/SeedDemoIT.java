package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.ThreadPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's demos ("Threading vs Multiprocessing"): a thread appends to a list the caller sees;
 * a process appends to its own copy, prints its pid, and the caller's list stays empty.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeedDemoIT {

  static final List<String> SHARED_DATA = Collections.synchronizedList(new ArrayList<>());
  static final List<String> DATA = Collections.synchronizedList(new ArrayList<>());

  @Test
  void shouldShareMemoryBetweenThreads() {
    try (ThreadPool pool = ThreadPool.create(1)) {
      pool.submit(() -> SHARED_DATA.add("thread")).join();
    }
    assertThat(SHARED_DATA).containsExactly("thread");
  }

  @Test
  void shouldIsolateAProcessAndPrintItsPid() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JvmProcess<List<String>> p = JvmProcess.start(() -> {
        DATA.add("process");
        System.out.println("Inside process: " + DATA);
        System.out.println("PID: " + ProcessHandle.current().pid());
        return new ArrayList<>(DATA);
      });
      assertThat(p.result()).containsExactly("process");
      p.join();
      assertThat(p.exitCode()).hasValue(0);
      assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(captured.toString(StandardCharsets.UTF_8))
              .contains("[worker " + p.pid() + "] Inside process: [process]")
              .contains("[worker " + p.pid() + "] PID: " + p.pid()));
      assertThat(DATA).as("Main process: data").isEmpty();
    } finally {
      System.setOut(original);
    }
  }
}
