package io.github.multiproc.cluster.internal;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.util.Collection;
import java.util.List;

/**
 * The codecs of the cluster backend: ipc's {@link JdkCodec} behind ipc's {@link AllowRule}, the
 * same rule as the process pool's. The allow-list given to {@code ClusterPool.builder()
 * .allowClasses(...)} and {@code ClusterMember --allow} (Hazelcast-style binary-name prefixes such
 * as {@code "com.acme.jobs."}) is added to the default rule; the defaults Hazelcast's own filter
 * needs ({@link #COVERED_BY_DEFAULTS}) are not, since the default rule covers them more narrowly.
 *
 * {@snippet :
 * AllowRule rule = ClusterCodecs.rule(List.of("com.acme.jobs."));   // + com.acme.jobs.**
 * JdkCodec codec = ClusterCodecs.codec(rule, task.getClass().getClassLoader());
 * }
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterCodecs {

  /** Prefixes in the Hazelcast allow-list that the default rule covers (more narrowly). */
  public static final List<String> COVERED_BY_DEFAULTS = List.of("java.", "io.github.multiproc.");

  private ClusterCodecs() {}

  /**
   * Turns a Hazelcast-style prefix into an allow pattern: {@code "com.acme."} allows that package
   * and its sub-packages, {@code "com.acme.Job"} every name that starts so.
   *
   * @param prefix a binary-name prefix, not blank
   * @return the pattern
   */
  static String pattern(String prefix) {
    return prefix.endsWith(".") ? prefix + "**" : prefix + "*";
  }

  /**
   * Returns the default rule plus an allow-list of prefixes.
   *
   * @param prefixes binary-name prefixes
   * @return the rule
   */
  public static AllowRule rule(Collection<String> prefixes) {
    AllowRule rule = AllowRule.defaults();
    for (String p : prefixes) {
      if (!COVERED_BY_DEFAULTS.contains(p)) {
        rule = rule.allow(pattern(p));
      }
    }
    return rule;
  }

  /**
   * Returns a member's own rule: the default rule plus the member's Hazelcast whitelist
   * (classes, packages, prefixes), so that a caller can never widen what a member accepts.
   *
   * @param member the member, or {@code null} (tests): the default rule
   * @return the rule
   */
  static AllowRule memberRule(HazelcastInstance member) {
    JavaSerializationFilterConfig filter = member == null ? null
        : member.getConfig().getSerializationConfig().getJavaSerializationFilterConfig();
    if (filter == null || filter.getWhitelist() == null) {
      return AllowRule.defaults();
    }
    ClassFilter whitelist = filter.getWhitelist();
    AllowRule rule = rule(whitelist.getPrefixes());
    for (String c : whitelist.getClasses()) {
      rule = rule.allow(c);
    }
    for (String p : whitelist.getPackages()) {
      rule = rule.allow(p + ".*");
    }
    return rule;
  }

  /**
   * Returns a codec with a rule and a class loader.
   *
   * @param rule the classes it decodes
   * @param loader resolves classes, or {@code null} for the JDK's rule
   * @return the codec
   */
  public static JdkCodec codec(AllowRule rule, ClassLoader loader) {
    JdkCodec.Builder b = JdkCodec.builder().rule(rule);
    return (loader == null ? b : b.classLoader(loader)).build();
  }
}
