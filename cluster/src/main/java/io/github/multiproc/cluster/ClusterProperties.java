package io.github.multiproc.cluster;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.PoolConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code multiproc.cluster.*} configuration keys, parsed once into a {@link ClusterPool.Builder}.
 *
 * <table class="striped">
 * <caption>Keys (all optional; environment variable: the key in upper case, dots and dashes as underscores)</caption>
 * <tr><th>key</th><th>values</th><th>default</th></tr>
 * <tr><td>{@value #MODE}</td><td>{@code embedded} or {@code client}</td><td>{@code embedded}</td></tr>
 * <tr><td>{@value #NAME}</td><td>the cluster name</td><td>{@code multiproc}</td></tr>
 * <tr><td>{@value #MEMBERS}</td><td>comma-separated {@code host[:port]}</td><td>{@code 127.0.0.1}</td></tr>
 * <tr><td>{@value #PORT}</td><td>first port of an embedded member</td><td>5701</td></tr>
 * <tr><td>{@value #DURABLE}</td><td>{@code true}/{@code false}: the durable executor</td><td>false</td></tr>
 * <tr><td>{@value #MAX_ATTEMPTS}</td><td>members an idempotent chunk may be tried on</td><td>3</td></tr>
 * <tr><td>{@value #ALLOW}</td><td>comma-separated class-name prefixes to deserialize</td><td>none extra</td></tr>
 * <tr><td>{@value #FAILURE_DETECTION_SECONDS}</td><td>seconds of silence before a member is declared dead</td><td>10</td></tr>
 * <tr><td>{@value #MEMBER_THREADS}</td><td>threads of an embedded member that run chunks</td><td>available processors</td></tr>
 * <tr><td>{@value #CONNECT_TIMEOUT}</td><td>how long a client tries to reach the cluster</td><td>30s</td></tr>
 * </table>
 *
 * <p>The old names {@code multiproc.cluster.maxAttempts} and
 * {@code multiproc.cluster.failureDetectionSeconds} are still read, with a warning.
 *
 * <p>Stateless and thread-safe; the returned builder is not (one per thread, as any builder).
 *
 * {@snippet :
 * Pool pool = Pools.fromConfig(Map.of(
 *     "multiproc.backend", "cluster",
 *     "multiproc.cluster.mode", "client",
 *     "multiproc.cluster.name", "jobs",
 *     "multiproc.cluster.members", "10.0.0.11:5701,10.0.0.12:5701"));
 * }
 *
 * @since 0.1
 */
public final class ClusterProperties {

  /** Embedded member or client. */
  public static final String MODE = "multiproc.cluster.mode";
  /** The cluster name. */
  public static final String NAME = "multiproc.cluster.name";
  /** Member addresses. */
  public static final String MEMBERS = "multiproc.cluster.members";
  /** The first port of an embedded member. */
  public static final String PORT = "multiproc.cluster.port";
  /** Whether to use the durable executor. */
  public static final String DURABLE = "multiproc.cluster.durable";
  /** Attempts for idempotent chunks. */
  public static final String MAX_ATTEMPTS = "multiproc.cluster.max-attempts";
  /** Extra allowed class-name prefixes. */
  public static final String ALLOW = "multiproc.cluster.allow";
  /** Failure detection timeout in seconds. */
  public static final String FAILURE_DETECTION_SECONDS = "multiproc.cluster.failure-detection-seconds";
  /** Threads of an embedded member that run chunks. */
  public static final String MEMBER_THREADS = "multiproc.cluster.member-threads";
  /** How long a client tries to reach the cluster. */
  public static final String CONNECT_TIMEOUT = "multiproc.cluster.connect-timeout";

  /** Every key, with its type and default as {@code docs/configuration.md} lists them. */
  public static final List<ConfigKey> KEYS = List.of(
      new ConfigKey(MODE, "embedded or client", "embedded"),
      new ConfigKey(NAME, "string", "multiproc"),
      new ConfigKey(MEMBERS, "host[:port] list, comma-separated", "127.0.0.1"),
      new ConfigKey(PORT, "port number", "5701"),
      new ConfigKey(DURABLE, "boolean", "false"),
      new ConfigKey(MAX_ATTEMPTS, "whole number >= 1", "3", List.of("multiproc.cluster.maxAttempts")),
      new ConfigKey(ALLOW, "class-name prefixes, comma-separated", "none"),
      new ConfigKey(FAILURE_DETECTION_SECONDS, "whole number >= 2", "10",
          List.of("multiproc.cluster.failureDetectionSeconds")),
      new ConfigKey(MEMBER_THREADS, "whole number >= 1", "available processors"),
      new ConfigKey(CONNECT_TIMEOUT, "duration", "30s"));

  private ClusterProperties() {}

  /**
   * Reads the keys into a builder.
   *
   * @param config the parsed configuration ({@code multiproc.workers} sets the workers)
   * @return a builder holding every key given
   * @throws IllegalArgumentException naming the key and value if one is malformed
   */
  public static ClusterPool.Builder toBuilder(PoolConfig config) {
    Map<String, String> p = config.properties();
    ClusterPool.Builder b = ClusterPool.builder();
    config.workers().ifPresent(b::workers);
    String mode = p.get(MODE);
    if (mode != null && !mode.isEmpty()) {
      try {
        b.mode(ClusterMode.valueOf(mode.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(MODE + " must be embedded or client: " + MODE + "=" + mode, e);
      }
    }
    if (p.containsKey(NAME)) {
      b.clusterName(p.get(NAME));
    }
    List<String> members = list(p.get(MEMBERS));
    if (!members.isEmpty()) {
      b.members(members);
    }
    if (p.containsKey(PORT)) {
      b.port(integer(PORT, p.get(PORT)));
    }
    String durable = p.get(DURABLE);
    if (durable != null) {
      if (!durable.equalsIgnoreCase("true") && !durable.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(DURABLE + " must be true or false: " + DURABLE + "=" + durable);
      }
      b.durableExecutor(Boolean.parseBoolean(durable));
    }
    if (p.containsKey(MAX_ATTEMPTS)) {
      b.maxAttempts(integer(MAX_ATTEMPTS, p.get(MAX_ATTEMPTS)));
    }
    b.allowClasses(list(p.get(ALLOW)).toArray(String[]::new));
    if (p.containsKey(FAILURE_DETECTION_SECONDS)) {
      b.failureDetection(Duration.ofSeconds(integer(FAILURE_DETECTION_SECONDS, p.get(FAILURE_DETECTION_SECONDS))));
    }
    config.wholeNumber(MEMBER_THREADS, 1).ifPresent(n -> b.memberThreads((int) Math.min(n, Integer.MAX_VALUE)));
    config.duration(CONNECT_TIMEOUT).ifPresent(b::connectTimeout);
    return b;
  }

  /** Splits a comma-separated value, dropping blanks; null is empty. */
  static List<String> list(String value) {
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + key + "=" + value, e);
    }
  }
}
