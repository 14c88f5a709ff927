package io.github.multiproc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code multiproc.*} configuration from its sources and checks it against the keys the
 * installed backends declare ({@link ConfigKey}): maps environment variables by the one spelling
 * rule ({@code multiproc.process.jvm-args} ⇄ {@code MULTIPROC_PROCESS_JVM_ARGS}), turns deprecated
 * names into current ones with a warning, and refuses an unknown key with the closest valid one.
 *
 * <p>Precedence, highest first: system properties, environment variables, the class-path
 * resource {@value Pools#PROPERTIES_RESOURCE}. Within one source a current name wins over a
 * deprecated one.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class ConfigReader {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
  }
  private static final String ENV_PREFIX = "MULTIPROC_";
  private static final Map<String, String> OPTIONAL_BACKENDS = Map.of(
      "process", "io.github.multiproc:multiproc-processpool",
      "cluster", "io.github.multiproc:multiproc-cluster");

  private final Map<String, ConfigKey> keys = new TreeMap<>();
  private final Map<String, String> deprecated = new HashMap<>(); // old name -> current name
  private final Map<String, String> environment = new HashMap<>(); // variable -> key (current or old)

  ConfigReader(Collection<ConfigKey> known) {
    for (ConfigKey key : known) {
      ConfigKey clash = keys.put(key.name(), key);
      if (clash != null && !clash.equals(key)) {
        throw new IllegalStateException("two backends declare " + key.name() + " differently: " + clash + ", " + key);
      }
      environment.put(key.environmentVariable(), key.name());
      for (String old : key.deprecatedNames()) {
        deprecated.put(old, key.name());
        environment.putIfAbsent(ConfigKey.environmentVariable(old), old);
      }
    }
  }

  /**
   * Reads and merges the three sources of {@link Pools#fromConfig()}.
   *
   * @param system system properties
   * @param env environment variables
   * @param loader where to look for {@value Pools#PROPERTIES_RESOURCE}, or null for none
   * @return every {@code multiproc.*} key under its current name
   * @throws IllegalArgumentException naming the source of an unknown key and the closest valid one
   */
  Map<String, String> read(Properties system, Map<String, String> env, ClassLoader loader) {
    Map<String, String> merged = new TreeMap<>(check(resource(loader), "the class-path resource " + Pools.PROPERTIES_RESOURCE));
    merged.putAll(checkEnvironment(env));
    Map<String, String> props = new HashMap<>();
    for (String k : system.stringPropertyNames()) {
      props.put(k, system.getProperty(k));
    }
    merged.putAll(check(props, "a system property"));
    return merged;
  }

  /**
   * Checks the {@code multiproc.*} keys of one source and renames deprecated ones. Other keys are
   * ignored.
   *
   * @param given the source's properties
   * @param source how to name the source in messages, such as "a system property"
   * @return its {@code multiproc.*} keys under their current names
   * @throws IllegalArgumentException for an unknown key
   */
  Map<String, String> check(Map<String, String> given, String source) {
    Map<String, String> current = new LinkedHashMap<>();
    Map<String, String> renamed = new LinkedHashMap<>();
    given.forEach((k, v) -> {
      if (k == null || v == null || !k.startsWith(PoolConfig.PREFIX)) {
        return;
      }
      if (keys.containsKey(k)) {
        current.put(k, v);
      } else if (deprecated.containsKey(k)) {
        Log.LOG.warn("configuration key {} ({}) is deprecated: use {} (environment variable {})", k, source,
            deprecated.get(k), ConfigKey.environmentVariable(deprecated.get(k)));
        renamed.put(deprecated.get(k), v);
      } else {
        throw unknown(k, k, source);
      }
    });
    renamed.forEach(current::putIfAbsent);
    return current;
  }

  private Map<String, String> checkEnvironment(Map<String, String> env) {
    Map<String, String> current = new HashMap<>();
    Map<String, String> renamed = new HashMap<>();
    env.forEach((variable, value) -> {
      if (!variable.startsWith(ENV_PREFIX)) {
        return;
      }
      String key = environment.get(variable);
      if (key == null) {
        throw unknown(variable, PoolConfig.PREFIX + variable.substring(ENV_PREFIX.length())
            .toLowerCase(java.util.Locale.ROOT).replace('_', '.'), "an environment variable");
      }
      if (deprecated.containsKey(key)) {
        String now = deprecated.get(key);
        Log.LOG.warn("environment variable {} is deprecated: use {} (key {})", variable, ConfigKey.environmentVariable(now), now);
        renamed.put(now, value);
      } else {
        current.put(key, value);
      }
    });
    renamed.forEach(current::putIfAbsent);
    return current;
  }

  private IllegalArgumentException unknown(String given, String asKey, String source) {
    String closest = keys.keySet().stream()
        .min(Comparator.comparingInt((String k) -> distance(normalize(asKey), normalize(k))).thenComparing(k -> k))
        .orElse(PoolConfig.BACKEND);
    boolean variable = !given.startsWith(PoolConfig.PREFIX);
    StringBuilder m = new StringBuilder("unknown configuration ").append(variable ? "variable " : "key ").append(given)
        .append(" (").append(source).append("); did you mean ")
        .append(variable ? ConfigKey.environmentVariable(closest) + " (" + closest + ")" : closest).append('?');
    String[] levels = asKey.split("\\.");
    if (levels.length > 2 && keys.keySet().stream().noneMatch(k -> k.startsWith(levels[0] + "." + levels[1] + "."))) {
      String module = OPTIONAL_BACKENDS.get(levels[1]);
      m.append(" No installed backend reads ").append(levels[0]).append('.').append(levels[1]).append(".* keys")
          .append(module == null ? "" : "; add " + module + " to the class path for them").append('.');
    }
    return new IllegalArgumentException(m.append(" Every key is listed in docs/configuration.md.").toString());
  }

  private static String normalize(String key) {
    return key.toLowerCase(java.util.Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  /** Levenshtein distance: the fewest single-character edits that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        row[j] = Math.min(substitute, Math.min(previous[j], row[j - 1]) + 1);
      }
      int[] t = previous;
      previous = row;
      row = t;
    }
    return previous[b.length()];
  }

  private static Map<String, String> resource(ClassLoader loader) {
    Map<String, String> out = new HashMap<>();
    if (loader == null) {
      return out;
    }
    try (InputStream in = loader.getResourceAsStream(Pools.PROPERTIES_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + Pools.PROPERTIES_RESOURCE + " from the class path", e);
    }
    return out;
  }
}
