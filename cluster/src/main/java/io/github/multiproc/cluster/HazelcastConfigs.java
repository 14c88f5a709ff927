package io.github.multiproc.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.github.multiproc.cluster.internal.MemberScheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the Hazelcast member and client configurations multiproc uses: a named cluster, TCP-IP
 * join on the given addresses (multicast and auto-detection off), phone-home off, logging through
 * SLF4J, the Java deserialization filter with the allow-list, a short failure detector, and the
 * executors chunks run on.
 *
 * <p>Stateless; each call returns a new configuration.
 */
final class HazelcastConfigs {

  /** The name of the executor (plain and durable) chunks run on. */
  static final String EXECUTOR = "multiproc";

  /** What every JVM of ours may deserialize, before the user's own prefixes. */
  static final List<String> DEFAULT_ALLOWED = List.of("java.", "io.github.multiproc.");

  private HazelcastConfigs() {}

  /**
   * Returns what a JVM of this cluster may deserialize: {@link #DEFAULT_ALLOWED}, then the user's prefixes.
   *
   * @param extra the user's class-name prefixes
   * @return the allow-list
   */
  static List<String> allowed(List<String> extra) {
    List<String> all = new ArrayList<>(DEFAULT_ALLOWED);
    all.addAll(extra);
    return all;
  }

  /**
   * Tells whether every member address is a loopback one (none given: this host alone), resolving
   * names, so that a member binds to loopback only.
   *
   * @param members {@code host}, {@code host:port} or {@code [v6]:port} addresses
   * @return whether they are all loopback
   */
  static boolean allLoopback(List<String> members) {
    return members.stream().allMatch(HazelcastConfigs::isLoopback);
  }

  private static boolean isLoopback(String address) {
    String host = address.startsWith("[") ? address.substring(1, Math.max(1, address.indexOf(']')))
        : address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The settings a member needs. */
  record MemberSettings(String clusterName, int port, List<String> members, List<String> allowed,
      int threads, Duration failureDetection, boolean loopback, boolean shutdownHook) {}

  static Config member(MemberSettings s) {
    Config c = new Config();
    c.setClusterName(s.clusterName());
    c.setInstanceName("multiproc-member-" + UUID.randomUUID().toString().substring(0, 8));
    common(c::setProperty, s.shutdownHook());
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, s.failureDetection().toSeconds())));
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
    c.getMemberAttributeConfig().setAttribute(MemberScheduler.PID_ATTRIBUTE,
        Long.toString(ProcessHandle.current().pid()));
    NetworkConfig network = c.getNetworkConfig();
    network.setPort(s.port()).setPortAutoIncrement(true);
    if (s.loopback()) {
      network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      c.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true)
        .setMembers(s.members().isEmpty() ? List.of("127.0.0.1") : s.members());
    c.getExecutorConfig(EXECUTOR).setPoolSize(s.threads()).setStatisticsEnabled(false);
    c.getDurableExecutorConfig(EXECUTOR).setPoolSize(s.threads()).setDurability(1)
        .setStatisticsEnabled(false);
    c.getSerializationConfig().setJavaSerializationFilterConfig(filter(s.allowed()));
    return c;
  }

  static ClientConfig client(String clusterName, List<String> members, List<String> allowed,
      Duration failureDetection, Duration connectTimeout) {
    ClientConfig c = new ClientConfig();
    c.setClusterName(clusterName);
    c.setInstanceName("multiproc-client-" + UUID.randomUUID().toString().substring(0, 8));
    common(c::setProperty, false);
    c.setProperty("hazelcast.client.heartbeat.interval", "1000");
    c.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(failureDetection.toMillis()));
    c.getNetworkConfig().setAddresses(members.isEmpty() ? List.of("127.0.0.1:5701") : members);
    c.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
    c.getSerializationConfig().setJavaSerializationFilterConfig(filter(allowed));
    return c;
  }

  private interface PropertySetter {
    Object set(String key, String value);
  }

  private static void common(PropertySetter p, boolean shutdownHook) {
    p.set("hazelcast.phone.home.enabled", "false");
    p.set("hazelcast.logging.type", "slf4j");
    p.set("hazelcast.shutdownhook.enabled", Boolean.toString(shutdownHook));
  }

  static JavaSerializationFilterConfig filter(List<String> allowed) {
    ClassFilter whitelist = new ClassFilter();
    whitelist.addPrefixes(allowed.toArray(String[]::new));
    return new JavaSerializationFilterConfig().setDefaultsDisabled(false).setWhitelist(whitelist);
  }
}
