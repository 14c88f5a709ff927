package io.github.multiproc;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * example {@code multiproc.process.jvm-args}), which reads them with the typed accessors
 * ({@link #duration}, {@link #wholeNumber}, {@link #bool}, ...); each names the key and the value
 * when the value is malformed. Every key is listed in {@code docs/configuration.md}.
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

  /** The keys every installation understands; backends add theirs ({@link io.github.multiproc.spi.PoolProvider#configKeys()}). */
  public static final List<ConfigKey> KEYS = List.of(
      new ConfigKey(BACKEND, "backend name", DEFAULT_BACKEND),
      new ConfigKey(WORKERS, "whole number >= 1", "available processors"));

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

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

  /**
   * Returns a value, stripped of surrounding blanks.
   *
   * @param key the key
   * @return the value, or empty when it is missing or blank
   */
  public Optional<String> string(String key) {
    String v = properties.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /**
   * Returns a whole number.
   *
   * @param key the key
   * @param min the smallest value allowed
   * @return the value, or empty when missing
   * @throws IllegalArgumentException naming the key and value if it is not a whole number &gt;= min
   */
  public Optional<Long> wholeNumber(String key, long min) {
    return string(key).map(v -> {
      try {
        long n = Long.parseLong(v);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(key + " must be a whole number >= " + min + ": " + key + "=" + v);
    });
  }

  /**
   * Returns a number of bytes: a whole number, optionally followed by {@code k}, {@code m} or
   * {@code g} (any case; powers of 1024), such as {@code 512k}, {@code 64m} or {@code 1048576}.
   *
   * @param key the key
   * @param min the fewest bytes allowed
   * @return the value, or empty when missing
   * @throws IllegalArgumentException naming the key and value if it is not such a size &gt;= min
   */
  public Optional<Long> byteSize(String key, long min) {
    return string(key).map(v -> {
      String t = v.trim().toLowerCase(java.util.Locale.ROOT);
      int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
      try {
        long n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
        if (n >= 0 && n <= Long.MAX_VALUE >> shift && (n << shift) >= min) {
          return n << shift;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(key + " must be a size in bytes >= " + min
          + " such as 512k, 64m, 2g or 1048576: " + key + "=" + v);
    });
  }

  /**
   * Returns {@code true} or {@code false} (any case).
   *
   * @param key the key
   * @return the value, or empty when missing
   * @throws IllegalArgumentException naming the key and value if it is neither
   */
  public Optional<Boolean> bool(String key) {
    return string(key).map(v -> {
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new IllegalArgumentException(key + " must be true or false: " + key + "=" + v);
    });
  }

  /**
   * Returns a duration written as a number and a unit ({@code 500ms}, {@code 30s}, {@code 2m},
   * {@code 1h}, {@code 1d}) or in ISO-8601 ({@code PT30S}).
   *
   * @param key the key
   * @return the value, or empty when missing
   * @throws IllegalArgumentException naming the key and value if it is not a duration &gt;= 0
   */
  public Optional<Duration> duration(String key) {
    return string(key).map(v -> {
      Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
      try {
        Duration d;
        if (m.matches()) {
          long n = Long.parseLong(m.group(1));
          d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
        } else {
          d = Duration.parse(v);
        }
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 2m or PT30S: " + key + "=" + v);
    });
  }

  /**
   * Returns the name of an enum constant, in any case, with dashes for underscores.
   *
   * @param key the key
   * @param type the enum
   * @param <E> the enum type
   * @return the constant, or empty when missing
   * @throws IllegalArgumentException naming the key, the value and the valid names
   */
  public <E extends Enum<E>> Optional<E> oneOf(String key, Class<E> type) {
    return string(key).map(v -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
          return e;
        }
      }
      throw new IllegalArgumentException(key + " must be one of " + Arrays.stream(type.getEnumConstants())
          .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ": " + key + "=" + v);
    });
  }

  /**
   * Splits a value on a separator, dropping blank parts.
   *
   * @param key the key
   * @param separator a regular expression, such as {@code "\s+"} or {@code ","}
   * @return the parts, empty when the key is missing
   */
  public List<String> list(String key, String separator) {
    return string(key).map(v -> Arrays.stream(v.split(separator)).map(String::strip).filter(p -> !p.isEmpty()).toList())
        .orElse(List.of());
  }

  /**
   * Returns file system paths separated by the platform's path separator ({@code :} or {@code ;}).
   *
   * @param key the key
   * @return the paths, empty when the key is missing
   * @throws IllegalArgumentException naming the key and value if a path is malformed
   */
  public List<Path> paths(String key) {
    try {
      return list(key, Pattern.quote(File.pathSeparator)).stream().map(Path::of).toList();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(key + " holds a malformed path (" + e.getReason() + "): " + key + "="
          + properties.get(key), e);
    }
  }
}
