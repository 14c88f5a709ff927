package io.github.multiproc;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key that {@link Pools#fromConfig()} understands: its name, the environment
 * variable that sets it, its type and default as {@code docs/configuration.md} shows them, and
 * the older names it still accepts.
 *
 * <p>One spelling rule holds everywhere: keys are lower case with dots between levels and dashes
 * between words ({@code multiproc.process.jvm-args}); the environment variable is the key in
 * upper case with every dot and dash turned into an underscore ({@code MULTIPROC_PROCESS_JVM_ARGS}).
 *
 * {@snippet :
 * ConfigKey key = new ConfigKey("multiproc.process.jvm-args", "JVM arguments", "none",
 *     List.of("multiproc.process.jvmArgs"));
 * key.environmentVariable();   // "MULTIPROC_PROCESS_JVM_ARGS"
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the key, such as {@code multiproc.workers}
 * @param type what the value must be, as the documentation says it
 * @param defaultValue the value used when none is given, as the documentation says it
 * @param deprecatedNames older names still read (each logs a warning), possibly empty
 * @since 0.1
 */
public record ConfigKey(String name, String type, String defaultValue, List<String> deprecatedNames) {

  /**
   * Checks and copies the fields.
   *
   * @param name lower case, starting with {@value PoolConfig#PREFIX}, words joined by dashes
   * @param type not blank
   * @param defaultValue not blank
   * @param deprecatedNames older names, each starting with {@value PoolConfig#PREFIX}
   */
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    if (!name.matches("multiproc(\\.[a-z0-9]+(-[a-z0-9]+)*)+")) {
      throw new IllegalArgumentException("a key must be lower case words joined by dashes, levels by dots, under "
          + PoolConfig.PREFIX + ": name=" + name);
    }
    if (type == null || type.isBlank() || defaultValue == null || defaultValue.isBlank()) {
      throw new IllegalArgumentException("a key needs a type and a default to document: " + name);
    }
    deprecatedNames = List.copyOf(deprecatedNames);
    for (String old : deprecatedNames) {
      if (!old.startsWith(PoolConfig.PREFIX)) {
        throw new IllegalArgumentException("a deprecated name must start with " + PoolConfig.PREFIX + ": " + old);
      }
    }
  }

  /**
   * A key with no older name.
   *
   * @param name the key
   * @param type what the value must be
   * @param defaultValue the value used when none is given
   */
  public ConfigKey(String name, String type, String defaultValue) {
    this(name, type, defaultValue, List.of());
  }

  /** {@return the environment variable that sets this key, such as {@code MULTIPROC_PROCESS_JVM_ARGS}} */
  public String environmentVariable() {
    return environmentVariable(name);
  }

  /**
   * Applies the spelling rule: upper case, dots and dashes become underscores.
   *
   * @param key any key, such as {@code multiproc.process.jvm-args}
   * @return its environment variable, such as {@code MULTIPROC_PROCESS_JVM_ARGS}
   */
  public static String environmentVariable(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
