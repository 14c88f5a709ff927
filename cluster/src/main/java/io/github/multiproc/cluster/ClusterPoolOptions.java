package io.github.multiproc.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.PoolEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options a {@link ClusterPool.Builder} collects, each checked as it is set (the message
 * states the rule and the value), with what they come to: the allow-list, an embedded member's
 * settings, and the description the builder prints. The builder's public methods document them.
 *
 * <p>Thread safety: not thread-safe; one builder's, read by the pool it builds.
 */
final class ClusterPoolOptions {

  private ClusterMode mode = ClusterMode.EMBEDDED;
  private String clusterName = "multiproc";
  private List<String> members = List.of();
  private int port = 5701;
  private int workers; // 0: members at start times this machine's processors
  private boolean durable;
  private int maxAttempts = 3;
  private final List<String> allowClasses = new ArrayList<>();
  private int memberThreads = Runtime.getRuntime().availableProcessors();
  private Duration failureDetection = Duration.ofSeconds(10);
  private Duration connectTimeout = Duration.ofSeconds(30);
  private HazelcastInstance instance; // null: the pool starts its own
  private PoolEventListener listener; // null: no events

  void mode(ClusterMode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  void clusterName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("clusterName must not be blank: clusterName=" + name);
    }
    this.clusterName = name;
  }

  void members(List<String> addresses) {
    if (addresses.isEmpty() || addresses.stream().anyMatch(a -> a == null || a.isBlank())) {
      throw new IllegalArgumentException("members must be host or host:port addresses: members=" + addresses);
    }
    this.members = List.copyOf(addresses);
  }

  void port(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 1..65535: port=" + port);
    }
    this.port = port;
  }

  void workers(int workers) {
    this.workers = atLeastOne("workers", workers);
  }

  void durable(boolean durable) {
    this.durable = durable;
  }

  void maxAttempts(int maxAttempts) {
    this.maxAttempts = atLeastOne("maxAttempts", maxAttempts);
  }

  void allowClasses(String... prefixes) {
    for (String p : prefixes) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("allowClasses prefixes must not be blank: prefix=" + p);
      }
      allowClasses.add(p);
    }
  }

  void memberThreads(int threads) {
    this.memberThreads = atLeastOne("memberThreads", threads);
  }

  void failureDetection(Duration timeout) {
    if (timeout == null || timeout.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("failureDetection must be >= 2s: failureDetection=" + timeout);
    }
    this.failureDetection = timeout;
  }

  void connectTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: connectTimeout=" + timeout);
    }
    this.connectTimeout = timeout;
  }

  void instance(HazelcastInstance instance) {
    this.instance = Objects.requireNonNull(instance, "instance");
  }

  void listener(PoolEventListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  private static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1: " + name + "=" + value);
    }
    return value;
  }

  ClusterMode mode() {
    return mode;
  }

  String clusterName() {
    return clusterName;
  }

  /** {@return the member addresses; empty: {@code 127.0.0.1}} */
  List<String> members() {
    return members;
  }

  /** {@return the workers set, or 0 for the default} */
  int workers() {
    return workers;
  }

  boolean durable() {
    return durable;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration failureDetection() {
    return failureDetection;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@return the instance to work through, or null to start one} */
  HazelcastInstance instance() {
    return instance;
  }

  /** {@return the listener, or null} */
  PoolEventListener listener() {
    return listener;
  }

  /** {@return what may be deserialized: the defaults, then the allowed classes} */
  List<String> allowed() {
    return HazelcastConfigs.allowed(allowClasses);
  }

  /** {@return the settings of an embedded member} */
  HazelcastConfigs.MemberSettings memberSettings() {
    return new HazelcastConfigs.MemberSettings(clusterName, port, members, allowed(), memberThreads,
        failureDetection, HazelcastConfigs.allLoopback(members), false);
  }

  @Override
  public String toString() {
    return "ClusterPool.Builder[mode=" + mode + ", clusterName=" + clusterName + ", members=" + members
        + ", port=" + port + ", workers=" + (workers == 0 ? "default" : workers) + ", durable=" + durable
        + ", maxAttempts=" + maxAttempts + ", allowClasses=" + allowClasses + ", memberThreads=" + memberThreads
        + ", failureDetection=" + failureDetection + ", connectTimeout=" + connectTimeout
        + ", instance=" + (instance != null) + "]";
  }
}
