package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.Work;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link JvmProcess}: one job in a fresh JVM, like {@code multiprocessing.Process}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmProcessIT {

  @Test
  void shouldRunAJobInAnotherJvmAndExitCleanly() throws Exception {
    JvmProcess<Long> p = JvmProcess.builder().jvmArgs("-Dmultiproc.test.x=1").output(WorkerOutput.DISCARD)
        .start(() -> ProcessHandle.current().pid() + Long.getLong("multiproc.test.x"));
    assertThat(p.result()).isEqualTo(p.pid() + 1);
    assertThat(p.join(Duration.ofSeconds(20))).isTrue();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitCode()).hasValue(0);
  }

  @Test
  void shouldReportWhatTheJobThrew() throws Exception {
    JvmProcess<Object> p = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
      throw new IllegalStateException("no luck");
    });
    assertThatThrownBy(p::result).isInstanceOfSatisfying(TaskFailedException.class,
        e -> assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("no luck"));
    p.join();
  }

  @Test
  void shouldReportAKilledChildAsDead() throws Exception {
    JvmProcess<Object> p = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
      Work.pause(Duration.ofMinutes(5));
      return null;
    });
    assertThat(p.exitCode()).isEmpty();
    p.kill();
    assertThatThrownBy(p::result).isInstanceOfSatisfying(WorkerDiedException.class,
        e -> assertThat(e.pid()).isEqualTo(p.pid()));
    p.join();
    assertThat(p.exitCode()).hasValue(137);
  }

  @Test
  void shouldTerminateAChild() throws Exception {
    JvmProcess<Object> p = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
      Work.pause(Duration.ofMinutes(5));
      return null;
    });
    p.terminate();
    assertThat(p.join(Duration.ofSeconds(20))).isTrue();
    assertThat(p.isAlive()).isFalse();
    assertThatThrownBy(p::result).isInstanceOf(WorkerDiedException.class);
  }
}
