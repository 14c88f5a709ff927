package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.processpool.manager.Manager;
import io.github.multiproc.processpool.plain.ManagerHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner of a manager dies by {@code SIGKILL}: the manager's JVM exits within 2 s, checked by
 * pid, and its door directory is deleted by the next manager started.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerOwnerDeathIT {

  @Test
  void shouldEndTheManagerWithinTwoSecondsOfItsOwnersDeath() throws Exception {
    Process owner = PlainJava.command(List.of(), PlainJava.moduleClassPath(), ManagerHolder.class)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String line;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      assertThat(line).startsWith("manager=");
      ProcessHandle manager = ProcessHandle.of(Long.parseLong(line.substring(8))).orElseThrow();
      assertThat(manager.parent().map(ProcessHandle::pid)).contains(owner.pid());

      owner.destroyForcibly(); // SIGKILL
      assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();

      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
          .until(() -> !ParentDeathIT.running(manager));

      // a halted manager may not have deleted its door; the next manager on the machine does
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Manager.start().close();
      assertThat(doorsOf(tmp, manager.pid())).isEmpty();
    } finally {
      owner.descendants().forEach(ProcessHandle::destroyForcibly);
      owner.destroyForcibly();
    }
  }

  private static List<Path> doorsOf(Path tmp, long pid) throws java.io.IOException {
    try (var files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("multiproc-mgr-" + pid + "-")).toList();
    }
  }
}
