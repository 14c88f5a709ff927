package io.github.multiproc;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The configuration that selects and sizes a pool, parsed once from string properties.
 *
 * <table class="striped">
 * <caption>Keys</caption>
 * <tr><th>key</th><th>environment variable</th><th>values</th><th>default</th></tr>
 * <tr><td>{@value #BACKEND}</td><td>{@code MULTIPROC_BACKEND}</td>
 *     <td>{@code thread}, {@code virtual}, {@code process} (with multiproc-processpool on the
 *     class path), or any installed {@link io.github.multiproc.spi.PoolProvider}'s name</td>
 *     <td>{@value #DEFAULT_BACKEND}</td></tr>
 * <tr><td>{@value #WORKERS}</td><td>{@code MULTIPROC_WORKERS}</td><td>a whole number &gt;= 1</td>
 *     <td>the number of available processors (for {@code virtual}: its concurrency bound)</td></tr>
 * </table>
 *
 * <p>Other {@code multiproc.*} keys are kept in {@link #properties()} for the backend (for
 * example {@code multiproc.process.jvmArgs}).
 *
 * {@snippet :
 * PoolConfig config = PoolConfig.parse(Map.of("multiproc.backend", "process", "multiproc.workers", "4"));
 * config.backend();   // "process"
 * config.workers();   // OptionalInt[4]
 * }
 *
 * @param backend the backend's name, lower case
 * @param workers the worker count, if one was given
 * @param properties every {@code multiproc.*} property, sorted by key
 * @since 0.1
 */
public record PoolConfig(String backend, OptionalInt workers, Map<String, String> properties) {

  /** The key that names the backend. */
  public static final String BACKEND = "multiproc.backend";
  /** The key that sets the number of workers. */
  public static final String WORKERS = "multiproc.workers";
  /** The backend used when none is configured. */
  public static final String DEFAULT_BACKEND = "thread";
  /** The prefix of every multiproc property. */
  public static final String PREFIX = "multiproc.";

  /**
   * Checks and copies the fields.
   *
   * @param backend not blank
   * @param workers empty, or at least 1
   * @param properties the raw properties
   */
  public PoolConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(workers, "workers");
    if (workers.isPresent() && workers.getAsInt() < 1) {
      throw new IllegalArgumentException(WORKERS + " must be >= 1: " + WORKERS + "=" + workers.getAsInt());
    }
    properties = Map.copyOf(properties);
  }

  /**
   * Parses properties. Keys outside {@code multiproc.*} are ignored.
   *
   * @param properties raw string properties
   * @return the configuration
   * @throws IllegalArgumentException if {@value #WORKERS} is not a whole number &gt;= 1
   */
  public static PoolConfig parse(Map<String, String> properties) {
    Map<String, String> mine = new TreeMap<>();
    properties.forEach((k, v) -> {
      if (k != null && v != null && k.startsWith(PREFIX)) {
        mine.put(k, v.strip());
      }
    });
    String backend = mine.getOrDefault(BACKEND, DEFAULT_BACKEND).toLowerCase(java.util.Locale.ROOT);
    if (backend.isEmpty()) {
      backend = DEFAULT_BACKEND;
    }
    OptionalInt workers = OptionalInt.empty();
    String w = mine.get(WORKERS);
    if (w != null && !w.isEmpty()) {
      try {
        workers = OptionalInt.of(Integer.parseInt(w));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(WORKERS + " must be a whole number >= 1: " + WORKERS + "=" + w, e);
      }
      if (workers.getAsInt() < 1) {
        throw new IllegalArgumentException(WORKERS + " must be a whole number >= 1: " + WORKERS + "=" + w);
      }
    }
    return new PoolConfig(backend, workers, mine);
  }

  /** {@return the configured worker count, or the number of available processors} */
  public int workersOrDefault() {
    return workers.orElse(Runtime.getRuntime().availableProcessors());
  }
}
