package io.github.multiproc;

import io.github.multiproc.spi.PoolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Creates pools from configuration, so that the backend is chosen where the program is deployed
 * rather than where it is written.
 *
 * {@snippet :
 * // -Dmultiproc.backend=process -Dmultiproc.workers=4, or MULTIPROC_BACKEND=process, or a
 * // multiproc.properties file on the class path
 * try (Pool pool = Pools.fromConfig()) {
 *   pool.map(task, inputs);
 * }
 * }
 *
 * <p>Backends are found with {@link ServiceLoader} ({@link PoolProvider}): {@code thread} and
 * {@code virtual} are built in; {@code process} comes with multiproc-processpool. See
 * {@link PoolConfig} for the keys.
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
   * @param properties {@code multiproc.*} keys; see {@link PoolConfig}
   * @return a new pool, owned by the caller
   * @throws IllegalArgumentException if the backend is unknown (the message lists the valid
   *     names) or a value is malformed
   */
  public static Pool fromConfig(Map<String, String> properties) {
    PoolConfig config = PoolConfig.parse(properties);
    Map<String, PoolProvider> providers = providers();
    PoolProvider provider = providers.get(config.backend());
    if (provider == null) {
      throw new IllegalArgumentException("unknown " + PoolConfig.BACKEND + "=" + config.backend()
          + "; valid values: " + String.join(", ", providers.keySet())
          + ("process".equals(config.backend()) ? " (add io.github.multiproc:multiproc-processpool to the class path for 'process')" : ""));
    }
    return provider.create(config);
  }

  /**
   * Creates a pool from the environment: system properties first, then the environment
   * variables {@code MULTIPROC_BACKEND}, {@code MULTIPROC_WORKERS} (any {@code MULTIPROC_X_Y}
   * maps to {@code multiproc.x.y}), then {@value #PROPERTIES_RESOURCE} on the class path.
   *
   * @return a new pool, owned by the caller
   * @throws IllegalArgumentException as {@link #fromConfig(Map)}
   */
  public static Pool fromConfig() {
    return fromConfig(effectiveProperties(System.getProperties(), System.getenv(),
        Thread.currentThread().getContextClassLoader()));
  }

  /**
   * Merges the three sources of {@link #fromConfig()}, highest precedence first.
   *
   * @param system system properties
   * @param env environment variables
   * @param loader where to look for {@value #PROPERTIES_RESOURCE}, or null for none
   * @return the merged {@code multiproc.*} properties
   */
  static Map<String, String> effectiveProperties(Properties system, Map<String, String> env,
      ClassLoader loader) {
    Map<String, String> merged = new TreeMap<>(readResource(loader));
    env.forEach((k, v) -> {
      if (k.startsWith("MULTIPROC_")) {
        merged.put(PoolConfig.PREFIX + k.substring("MULTIPROC_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
      }
    });
    for (String k : system.stringPropertyNames()) {
      if (k.startsWith(PoolConfig.PREFIX)) {
        merged.put(k, system.getProperty(k));
      }
    }
    return merged;
  }

  private static Map<String, String> readResource(ClassLoader loader) {
    Map<String, String> out = new HashMap<>();
    if (loader == null) {
      return out;
    }
    try (InputStream in = loader.getResourceAsStream(PROPERTIES_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROPERTIES_RESOURCE + " from the class path", e);
    }
    return out;
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
