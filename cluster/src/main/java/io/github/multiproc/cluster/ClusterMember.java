package io.github.multiproc.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Starts a cluster member configured for multiproc: the {@code multiproc} executor, the
 * deserialization allow-list, TCP-IP join, phone-home off, logging through SLF4J. Run it on each
 * machine with your task classes on the class path and the options of {@link ClusterJvmArgs}:
 *
 * <pre>
 * java $(cat hazelcast.args) -cp app.jar:libs/* io.github.multiproc.cluster.ClusterMember \
 *     --cluster-name jobs --port 5701 --members 10.0.0.11,10.0.0.12 --allow com.acme.jobs. --threads 8
 * </pre>
 *
 * <p>Options: {@code --cluster-name} (default {@code multiproc}), {@code --port} (first port
 * tried, default 5701), {@code --members} (comma-separated addresses to join, default
 * {@code 127.0.0.1}; a loopback-only list binds to 127.0.0.1), {@code --allow} (comma-separated
 * class-name prefixes besides {@code java.} and {@code io.github.multiproc.}), {@code --threads}
 * (chunks run at once, default: processors), {@code --failure-detection-seconds} (default 10).
 * The member stops on SIGTERM (graceful shutdown).
 *
 * {@snippet :
 * HazelcastInstance member = ClusterMember.start(ClusterMember.Options.parse(args));
 * }
 *
 * @since 0.1
 */
public final class ClusterMember {

  private ClusterMember() {}

  /**
   * Starts a member and returns when it has joined (or formed) the cluster.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    start(Options.parse(args));
  }

  /**
   * Starts a member.
   *
   * @param options its options
   * @return the running member; shut it down with {@link HazelcastInstance#shutdown()}
   */
  public static HazelcastInstance start(Options options) {
    return Hazelcast.newHazelcastInstance(HazelcastConfigs.member(new HazelcastConfigs.MemberSettings(
        options.clusterName(), options.port(), options.members(), HazelcastConfigs.allowed(options.allow()),
        options.threads(), options.failureDetection(), HazelcastConfigs.allLoopback(options.members()), true)));
  }

  /**
   * A member's options.
   *
   * @param clusterName the cluster name
   * @param port the first port tried
   * @param members the addresses to join
   * @param allow extra allowed class-name prefixes
   * @param threads chunks run at once
   * @param failureDetection silence before a member is declared dead
   */
  public record Options(String clusterName, int port, List<String> members, List<String> allow, int threads,
      Duration failureDetection) {

    /** Checks and copies the fields. */
    public Options {
      Objects.requireNonNull(clusterName, "clusterName");
      members = List.copyOf(members);
      allow = List.copyOf(allow);
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1: threads=" + threads);
      }
    }

    /**
     * Parses command-line options.
     *
     * @param args {@code --name value} pairs
     * @return the options
     * @throws IllegalArgumentException naming an unknown option or a malformed value
     */
    public static Options parse(String... args) {
      String name = "multiproc";
      int port = 5701;
      List<String> members = List.of();
      List<String> allow = List.of();
      int threads = Runtime.getRuntime().availableProcessors();
      Duration failure = Duration.ofSeconds(10);
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--cluster-name" -> name = v;
          case "--port" -> port = Integer.parseInt(v);
          case "--members" -> members = ClusterProperties.list(v);
          case "--allow" -> allow = ClusterProperties.list(v);
          case "--threads" -> threads = Integer.parseInt(v);
          case "--failure-detection-seconds" -> failure = Duration.ofSeconds(Long.parseLong(v));
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; valid: --cluster-name, --port, --members, --allow, --threads, --failure-detection-seconds");
        }
      }
      return new Options(name, port, members, allow, threads, failure);
    }

  }
}
