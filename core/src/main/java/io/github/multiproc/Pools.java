package io.github.multiproc;

import io.github.multiproc.spi.PoolProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Creates pools from configuration, so that the backend is chosen where the program is deployed
 * rather than where it is written.
 *
 * {@snippet :
 * // -Dmultiproc.backend=process -Dmultiproc.workers=4, or MULTIPROC_BACKEND=process
 * // MULTIPROC_WORKERS=4, or a multiproc.properties file on the class path
 * try (Pool pool = Pools.fromConfig()) {
 *   pool.map(task, inputs);
 * }
 * }
 *
 * <p>Backends are found with {@link ServiceLoader} ({@link PoolProvider}): {@code thread} and
 * {@code virtual} are built in; {@code process} comes with multiproc-processpool and
 * {@code cluster} with multiproc-cluster. Every key is checked against those the installed
 * backends declare ({@link #configKeys()}; all listed in {@code docs/configuration.md}): an unknown
 * one, such as the typo {@code multiproc.worker=5}, fails with the closest valid key, and a
 * deprecated name still works but logs a warning.
 *
 * <p>Thread-safe; holds no state.
 *
 * @since 0.1
 */
public final class Pools {

  /** The class-path resource read by {@link #fromConfig()}. */
  public static final String PROPERTIES_RESOURCE = "multiproc.properties";

  private Pools() {}

  /**
   * Creates a pool from the given properties.
   *
   * @param properties {@code multiproc.*} keys (others are ignored); see {@link PoolConfig} and
   *     {@code docs/configuration.md}
   * @return a new pool, owned by the caller
   * @throws IllegalArgumentException if a key is unknown (the message names the closest valid
   *     one), the backend is unknown (the message lists the valid names) or a value is malformed
   */
  public static Pool fromConfig(Map<String, String> properties) {
    Map<String, PoolProvider> providers = providers();
    return create(PoolConfig.parse(reader(providers).check(properties, "the given properties")), providers);
  }

  /**
   * Creates a pool from the environment: system properties first, then environment variables
   * (the key in upper case, dots and dashes as underscores: {@code MULTIPROC_BACKEND},
   * {@code MULTIPROC_PROCESS_JVM_ARGS}), then {@value #PROPERTIES_RESOURCE} on the class path.
   *
   * @return a new pool, owned by the caller
   * @throws IllegalArgumentException as {@link #fromConfig(Map)}, naming where an unknown key came from
   */
  public static Pool fromConfig() {
    Map<String, PoolProvider> providers = providers();
    return create(PoolConfig.parse(effectiveProperties(System.getProperties(), System.getenv(),
        Thread.currentThread().getContextClassLoader(), providers)), providers);
  }

  /**
   * Returns the configuration {@link #fromConfig()} would use, checked, without creating a pool:
   * for a backend's own builder, to add what configuration cannot say (an initializer, a
   * listener).
   *
   * {@snippet :
   * ProcessPool pool = ProcessPoolProperties.toBuilder(Pools.config()).initializer(Model::load).build();
   * }
   *
   * @return the configuration from system properties, environment variables and {@value #PROPERTIES_RESOURCE}
   * @throws IllegalArgumentException as {@link #fromConfig()}
   */
  public static PoolConfig config() {
    return PoolConfig.parse(effectiveProperties(System.getProperties(), System.getenv(),
        Thread.currentThread().getContextClassLoader(), providers()));
  }

  /**
   * Returns every configuration key this installation understands: {@link PoolConfig#KEYS} and
   * those of every backend on the class path, sorted by name.
   *
   * @return the keys
   */
  public static List<ConfigKey> configKeys() {
    return keys(providers()).stream().sorted(Comparator.comparing(ConfigKey::name)).toList();
  }

  /**
   * Merges the three sources of {@link #fromConfig()}, highest precedence first, and checks them.
   *
   * @param system system properties
   * @param env environment variables
   * @param loader where to look for {@value #PROPERTIES_RESOURCE}, or null for none
   * @return the merged {@code multiproc.*} properties, under their current names
   */
  static Map<String, String> effectiveProperties(Properties system, Map<String, String> env, ClassLoader loader) {
    return effectiveProperties(system, env, loader, providers());
  }

  private static Map<String, String> effectiveProperties(Properties system, Map<String, String> env,
      ClassLoader loader, Map<String, PoolProvider> providers) {
    return reader(providers).read(system, env, loader);
  }

  private static Pool create(PoolConfig config, Map<String, PoolProvider> providers) {
    PoolProvider provider = providers.get(config.backend());
    if (provider == null) {
      throw new IllegalArgumentException("unknown " + PoolConfig.BACKEND + "=" + config.backend()
          + "; valid values: " + String.join(", ", providers.keySet())
          + ("process".equals(config.backend()) ? " (add io.github.multiproc:multiproc-processpool to the class path for 'process')" : "")
          + ("cluster".equals(config.backend()) ? " (add io.github.multiproc:multiproc-cluster to the class path for 'cluster')" : ""));
    }
    return provider.create(config);
  }

  private static ConfigReader reader(Map<String, PoolProvider> providers) {
    return new ConfigReader(keys(providers));
  }

  private static List<ConfigKey> keys(Map<String, PoolProvider> providers) {
    List<ConfigKey> keys = new ArrayList<>(PoolConfig.KEYS);
    providers.values().forEach(p -> keys.addAll(p.configKeys()));
    return keys;
  }

  private static Map<String, PoolProvider> providers() {
    Map<String, PoolProvider> byName = new TreeMap<>();
    for (PoolProvider p : ServiceLoader.load(PoolProvider.class, Pools.class.getClassLoader())) {
      byName.putIfAbsent(p.backend(), p);
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != Pools.class.getClassLoader()) {
      for (PoolProvider p : ServiceLoader.load(PoolProvider.class, context)) {
        byName.putIfAbsent(p.backend(), p);
      }
    }
    return byName;
  }
}
