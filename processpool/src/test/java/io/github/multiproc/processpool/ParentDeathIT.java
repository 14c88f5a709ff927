package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.processpool.plain.PoolHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parent JVM dies by {@code SIGKILL} (no shutdown hook, no EOF sent on purpose): every worker
 * must exit within 2 seconds, checked by pid.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParentDeathIT {

  /**
   * Whether the process still runs: alive, and (on Linux) not a zombie, which has exited and only
   * waits for its new parent (here a container's init that may reap late) to collect it.
   */
  static boolean running(ProcessHandle h) {
    if (!h.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
    try {
      String s = Files.readString(stat);
      return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return Files.exists(Path.of("/proc/self")) ? false : h.isAlive(); // gone from /proc: exited
    }
  }

  @Test
  void shouldEndEveryWorkerWithinTwoSecondsOfAParentKilledBySigkill() throws Exception {
    Process parent = PlainJava.command(List.of(), PlainJava.moduleClassPath(), PoolHolder.class)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String line;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      assertThat(line).startsWith("pids=");
      List<ProcessHandle> workers = Arrays.stream(line.substring(5).split(",")).map(Long::parseLong)
          .map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
      assertThat(workers).hasSize(2).allMatch(ProcessHandle::isAlive)
          .allMatch(w -> w.parent().map(ProcessHandle::pid).orElse(-1L) == parent.pid());

      parent.destroyForcibly(); // SIGKILL
      assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertThat(workers).noneMatch(ParentDeathIT::running));
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }
}
