package io.github.multiproc.cluster;

import java.util.List;

/**
 * The JVM options that let Hazelcast start quietly on JDK 25: it reaches into a few JDK internals
 * (for memory statistics and NIO) and, without these, logs a warning at start-up and loses those
 * features. Pass them to every JVM that runs a member or a client, for example
 * {@code java @cluster.args -cp ... io.github.multiproc.cluster.ClusterMember}.
 *
 * {@snippet :
 * List<String> command = new ArrayList<>(List.of("java"));
 * command.addAll(ClusterJvmArgs.HAZELCAST);
 * command.addAll(List.of("-cp", classPath, ClusterMember.class.getName(), "--cluster-name", "jobs"));
 * }
 *
 * @since 0.1
 */
public final class ClusterJvmArgs {

  /**
   * The options, one element each: {@code --add-modules java.se},
   * {@code --add-exports java.base/jdk.internal.ref=ALL-UNNAMED}, the {@code --add-opens} of
   * {@code java.base/java.lang}, {@code java.base/sun.nio.ch},
   * {@code java.management/sun.management} and
   * {@code jdk.management/com.sun.management.internal}, and
   * {@code --sun-misc-unsafe-memory-access=allow} (JDK 24+ warns on Hazelcast's use of
   * {@code sun.misc.Unsafe} otherwise).
   */
  public static final List<String> HAZELCAST = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow");

  private ClusterJvmArgs() {}
}
