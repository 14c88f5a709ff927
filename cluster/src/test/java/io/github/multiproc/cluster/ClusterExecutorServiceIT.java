package io.github.multiproc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.ExecutorServiceContract;
import io.github.multiproc.Pool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import outside.Ask;

/**
 * The ExecutorService view contract against client {@link ClusterPool}s. A cluster pool runs as
 * many tasks at once as its members have executor threads (its {@code workers} only bound a
 * call's chunks in flight), so the contract's one-worker and two-worker pools connect to two
 * one-member clusters, with one and two threads, started once for the class: a second task then
 * waits in the member's queue as it would in a one-worker pool. Each case connects its own client.
 */
class ClusterExecutorServiceIT extends ExecutorServiceContract {

  private static MemberProcesses oneThread;
  private static MemberProcesses twoThreads;

  @BeforeAll
  static void startMembers() {
    CompletableFuture<MemberProcesses> two = CompletableFuture.supplyAsync(() -> MemberProcesses.start(1, 2));
    oneThread = MemberProcesses.start(1, 1);
    twoThreads = two.join();
  }

  @AfterAll
  static void stopMembers() {
    for (MemberProcesses m : new MemberProcesses[] {oneThread, twoThreads}) {
      if (m != null) {
        m.close();
      }
    }
  }

  @Override
  protected Pool createPool(int workers) {
    MemberProcesses members = workers == 1 ? oneThread : twoThreads;
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

  @Override
  protected boolean cancelledQueuedTasksNeverRun() {
    return false;
  }

  @Test
  void shouldReturnResultsOfTheTasksOwnClasses() throws Exception {
    try (Pool pool = createPool(2)) {
      // a package outside multiproc's: results are decoded under the rule that admits the task's own package
      Ask.Answer answer = pool.asExecutorService().submit(new Ask("hello")).get(60, TimeUnit.SECONDS);
      assertThat(answer.text()).isEqualTo("hello");
      assertThat(answer.pid()).isNotEqualTo(ProcessHandle.current().pid());
    }
  }
}
