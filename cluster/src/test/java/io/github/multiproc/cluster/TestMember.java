package io.github.multiproc.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;

/**
 * The member JVM the integration tests spawn: starts a {@link ClusterMember} with the given
 * options, prints {@code READY <pid> <address>} on stdout, and halts when its stdin reaches EOF
 * (the test closed it, or the test JVM died), so no member outlives its test.
 */
public final class TestMember {

  private TestMember() {}

  /**
   * Runs the member.
   *
   * @param args {@link ClusterMember} options
   * @throws IOException if stdin fails
   */
  public static void main(String[] args) throws IOException {
    HazelcastInstance member = ClusterMember.start(ClusterMember.Options.parse(args));
    System.out.println("READY " + ProcessHandle.current().pid() + " "
        + member.getCluster().getLocalMember().getAddress().getHost() + ":"
        + member.getCluster().getLocalMember().getAddress().getPort());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // nothing is sent; EOF means stop
    }
    Runtime.getRuntime().halt(0);
  }
}
