package io.github.multiproc.cluster;

import io.github.multiproc.ExecutorServiceContract;
import io.github.multiproc.Pool;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ExecutorService view contract against a client {@link ClusterPool} over one member JVM
 * with one executor thread, started once for the class, so that a second task waits in the
 * member's queue as it would in a one-worker pool. Each case connects its own client.
 */
class ClusterExecutorServiceIT extends ExecutorServiceContract {

  private static MemberProcesses members;

  @BeforeAll
  static void startMember() {
    members = MemberProcesses.start(1, 1);
  }

  @AfterAll
  static void stopMember() {
    if (members != null) {
      members.close();
    }
  }

  @Override
  protected Pool createPool(int workers) {
    return ClusterPool.builder()
        .mode(ClusterMode.CLIENT)
        .clusterName(members.clusterName())
        .members(members.addresses())
        .workers(workers)
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Override
  protected boolean runsTasksInThisJvm() {
    return false;
  }

  @Override
  protected boolean shutdownNowReturnsNeverStartedTasks() {
    return false;
  }
}
