package io.github.multiproc.cluster;

import io.github.multiproc.Pool;
import io.github.multiproc.PoolContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the backend contract against a client {@link ClusterPool} over three member JVMs on
 * loopback, started once for the class.
 */
class ClusterPoolContractIT extends PoolContract {

  private MemberProcesses members;
  private final List<Pool> created = new ArrayList<>();

  @BeforeAll
  void startMembers() {
    members = MemberProcesses.start(3, 4);
  }

  @AfterAll
  void stopMembers() {
    created.forEach(Pool::close); // clients first (close is idempotent), so none reconnects to dying members
    if (members != null) {
      members.close();
    }
  }

  @Override
  protected Pool createPool(int workers) {
    Pool pool = ClusterPool.builder()
        .mode(ClusterMode.CLIENT)
        .clusterName(members.clusterName())
        .members(members.addresses())
        .workers(workers)
        .failureDetection(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(20))
        .build();
    created.add(pool);
    return pool;
  }

  @Override
  protected int[] workerCounts() {
    return new int[] {1, 4};
  }

  @Override
  protected int examples() {
    return 30;
  }

  @Override
  protected boolean supportsTaskTimeout() {
    return false;
  }
}
