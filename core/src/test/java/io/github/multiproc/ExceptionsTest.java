package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void shouldDescribeADeadWorkerWithPidSignalAndStderr() {
    WorkerDiedException e = new WorkerDiedException(12, 4242, OptionalInt.of(137), "line 1\nOutOfMemoryError\n");
    assertThat(e).hasMessageContaining("worker pid 4242 died while it held input #12")
        .hasMessageContaining("exit code 137, signal 9 SIGKILL")
        .hasMessageContaining("OutOfMemoryError");
    assertThat(e.index()).isEqualTo(12);
    assertThat(e.exitCode()).hasValue(137);
    assertThat(e).isInstanceOf(TaskFailedException.class);
  }

  @Test
  void shouldStandInForARemoteExceptionWithItsChainAndStack() {
    IllegalStateException original = new IllegalStateException("outer", new ArithmeticException("/ by zero"));
    RemoteException remote = RemoteException.describing(original);
    assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
    assertThat(remote.remoteMessage()).isEqualTo("outer");
    assertThat(remote.getStackTrace()).isEqualTo(original.getStackTrace());
    assertThat(remote.getCause()).isInstanceOfSatisfying(RemoteException.class,
        c -> assertThat(c.remoteClassName()).isEqualTo("java.lang.ArithmeticException"));
    assertThat(remote).hasMessage("java.lang.IllegalStateException: outer");
  }

  @Test
  void shouldNameTheIndexAndTimeout() {
    assertThat(new TaskTimeoutException(3, java.time.Duration.ofSeconds(1)))
        .hasMessage("task on input #3 did not finish within its timeout of PT1S");
    assertThat(new TaskFailedException(TaskFailedException.NO_INDEX, new RuntimeException("x")))
        .hasMessage("task failed: java.lang.RuntimeException: x");
  }
}
