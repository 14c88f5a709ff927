package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first worker killed from outside before it says HELLO fails {@code create}, and the pool's
 * clean-up after that failure starts nothing: the other worker, killed by the pool, is not
 * replaced, and no pool thread dies of an exception (a replacement used to meet the launcher
 * already shut down: {@code RejectedExecutionException} on a {@code multiproc-replacer} thread).
 * When {@code create} throws, or {@code close} returns while a replacement starts, no worker process is left: not one being spawned, not one being
 * launched as a replacement (each used to outlive the failed start until it noticed its parent's
 * death).
 */
@Timeout(60)
class StartFailureIT {

  @Test
  void shouldFailTheStartCleanlyWhenAFirstWorkerIsKilledBeforeHello(@TempDir Path home) throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path java = bin.resolve("java");
    String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the first worker waits until the other has had time to start, then is killed from outside
    Files.writeString(java, "#!/bin/sh\n"
        + "if mkdir '" + home.resolve("first") + "' 2>/dev/null; then sleep 2; kill -9 $$; fi\n"
        + "exec '" + realJava + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      assertThatThrownBy(() -> ProcessPool.builder().workers(2).javaHome(home).aotCache(false)
          .output(WorkerOutput.DISCARD).build())
          .isInstanceOf(WorkerStartException.class)
          .hasMessageContaining("killed by signal 9 (SIGKILL) before it said HELLO");
      // at once, not eventually: a worker being spawned or replaced when the start failed is gone too
      assertThat(liveWorkers()).isEmpty();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(uncaught::isEmpty);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertThat(uncaught).isEmpty();
  }

  @Test
  void shouldLeaveNoWorkerWhenClosedWhileAReplacementIsStarting() {
    for (int round = 0; round < 3; round++) {
      ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build();
      long pid = pool.workerPids().getFirst();
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(20)).until(() -> pool.stats().replacements().died() == 1);

      pool.close(); // the replacement is being spawned, attached or started

      assertThat(liveWorkers()).isEmpty();
    }
  }

  private static List<String> liveWorkers() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("WorkerMain")).toList();
  }
}
