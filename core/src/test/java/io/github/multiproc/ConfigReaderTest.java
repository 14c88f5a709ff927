package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spelling rule ({@code multiproc.process.jvm-args} ⇄ {@code MULTIPROC_PROCESS_JVM_ARGS}),
 * deprecated names, precedence and unknown keys, with keys declared here as a backend would.
 */
class ConfigReaderTest {

  private static final ConfigKey JVM_ARGS = new ConfigKey("multiproc.process.jvm-args", "JVM arguments", "none",
      List.of("multiproc.process.jvmArgs"));
  private static final ConfigKey MAX_ATTEMPTS = new ConfigKey("multiproc.cluster.max-attempts", "whole number >= 1", "3",
      List.of("multiproc.cluster.maxAttempts"));

  private final ConfigReader reader = new ConfigReader(keys());

  private static List<ConfigKey> keys() {
    List<ConfigKey> keys = new ArrayList<>(PoolConfig.KEYS);
    keys.add(JVM_ARGS);
    keys.add(MAX_ATTEMPTS);
    return keys;
  }

  @Test
  void shouldReadEveryKeyFromItsEnvironmentVariable() {
    Map<String, String> env = Map.of("MULTIPROC_PROCESS_JVM_ARGS", "-Xmx1g -Da=b", "MULTIPROC_CLUSTER_MAX_ATTEMPTS", "5",
        "MULTIPROC_WORKERS", "3", "HOME", "/root");
    assertThat(reader.read(new Properties(), env, null)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "multiproc.process.jvm-args", "-Xmx1g -Da=b", "multiproc.cluster.max-attempts", "5", "multiproc.workers", "3"));
  }

  @Test
  void shouldStillReadDeprecatedNamesUnderTheCurrentOnes() {
    Properties system = new Properties();
    system.setProperty("multiproc.process.jvmArgs", "-Xmx2g");
    assertThat(reader.read(system, Map.of("MULTIPROC_CLUSTER_MAXATTEMPTS", "4"), null)).containsExactlyInAnyOrderEntriesOf(
        Map.of("multiproc.process.jvm-args", "-Xmx2g", "multiproc.cluster.max-attempts", "4"));
    assertThat(reader.read(new Properties(), Map.of("MULTIPROC_PROCESS_JVMARGS", "-Xmx3g"), null))
        .containsEntry("multiproc.process.jvm-args", "-Xmx3g");
  }

  @Test
  void shouldPreferTheCurrentNameOverADeprecatedOneInOneSource() {
    assertThat(reader.check(Map.of("multiproc.process.jvmArgs", "old", "multiproc.process.jvm-args", "new"), "test"))
        .containsExactly(Map.entry("multiproc.process.jvm-args", "new"));
  }

  @Test
  void shouldPreferSystemPropertiesThenEnvironmentThenTheResource(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(Pools.PROPERTIES_RESOURCE),
        "multiproc.process.jvmArgs=-Dfrom=file\nmultiproc.workers=2\nmultiproc.backend=virtual\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Properties system = new Properties();
      system.setProperty("multiproc.workers", "4");
      Map<String, String> env = Map.of("MULTIPROC_PROCESS_JVM_ARGS", "-Dfrom=env", "MULTIPROC_WORKERS", "3");
      assertThat(reader.read(system, env, loader)).containsExactlyInAnyOrderEntriesOf(Map.of(
          "multiproc.process.jvm-args", "-Dfrom=env", "multiproc.workers", "4", "multiproc.backend", "virtual"));
    }
  }

  @Test
  void shouldNameTheClosestKeyOfAnUnknownOne() {
    assertThatThrownBy(() -> reader.check(Map.of("multiproc.process.jvmargs", "x"), "a system property"))
        .hasMessageStartingWith("unknown configuration key multiproc.process.jvmargs (a system property); did you mean"
            + " multiproc.process.jvm-args?");
    assertThatThrownBy(() -> reader.read(new Properties(), Map.of("MULTIPROC_CLUSTER_MAX_ATTEMPT", "2"), null))
        .hasMessageStartingWith("unknown configuration variable MULTIPROC_CLUSTER_MAX_ATTEMPT (an environment variable);"
            + " did you mean MULTIPROC_CLUSTER_MAX_ATTEMPTS (multiproc.cluster.max-attempts)?");
  }

  @Test
  void shouldIgnoreKeysOutsideTheNamespace() {
    assertThat(reader.check(Map.of("java.home", "/x", "multiprocessing", "y"), "test")).isEmpty();
  }

  @Test
  void shouldMeasureEditDistance() {
    assertThat(ConfigReader.distance("multiproc.worker", "multiproc.workers")).isEqualTo(1);
    assertThat(ConfigReader.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(ConfigReader.distance("", "abc")).isEqualTo(3);
    assertThat(ConfigReader.distance("same", "same")).isZero();
  }

  @Test
  void shouldSpellEnvironmentVariablesByOneRuleAndRefuseMisspelledKeys() {
    assertThat(JVM_ARGS.environmentVariable()).isEqualTo("MULTIPROC_PROCESS_JVM_ARGS");
    assertThat(ConfigKey.environmentVariable("multiproc.cluster.failure-detection-seconds"))
        .isEqualTo("MULTIPROC_CLUSTER_FAILURE_DETECTION_SECONDS");
    for (String bad : List.of("multiproc.process.jvmArgs", "process.jvm-args", "multiproc.process.jvm_args", "multiproc")) {
      assertThatThrownBy(() -> new ConfigKey(bad, "t", "d")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name=" + bad);
    }
  }

  @Test
  void shouldParseTypedValuesAndNameTheKeyOfAMalformedOne() {
    PoolConfig config = PoolConfig.parse(Map.of("multiproc.a", "500ms", "multiproc.b", "PT2M", "multiproc.c", "TRUE",
        "multiproc.d", " 12 ", "multiproc.e", "soon", "multiproc.f", "0", "multiproc.g", "Maybe", "multiproc.h", "a, b,,c"));
    assertThat(config.duration("multiproc.a")).hasValue(Duration.ofMillis(500));
    assertThat(config.duration("multiproc.b")).hasValue(Duration.ofMinutes(2));
    assertThat(config.duration("multiproc.missing")).isEmpty();
    assertThat(config.bool("multiproc.c")).hasValue(true);
    assertThat(config.wholeNumber("multiproc.d", 1)).hasValue(12L);
    assertThat(config.list("multiproc.h", ",")).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> config.duration("multiproc.e"))
        .hasMessage("multiproc.e must be a duration such as 500ms, 30s, 2m or PT30S: multiproc.e=soon");
    assertThatThrownBy(() -> config.wholeNumber("multiproc.f", 1))
        .hasMessage("multiproc.f must be a whole number >= 1: multiproc.f=0");
    assertThatThrownBy(() -> config.bool("multiproc.g")).hasMessage("multiproc.g must be true or false: multiproc.g=Maybe");
    assertThatThrownBy(() -> config.oneOf("multiproc.g", Thread.State.class))
        .hasMessageStartingWith("multiproc.g must be one of [new, runnable, blocked, waiting, timed-waiting, terminated]");
  }

  @Test
  void shouldParseSizesInBytesWithBinarySuffixes() {
    PoolConfig config = PoolConfig.parse(Map.of("multiproc.a", "1048576", "multiproc.b", " 512k ", "multiproc.c", "64M",
        "multiproc.d", "2g", "multiproc.e", "1.5g", "multiproc.f", "0", "multiproc.g", "9000000000g"));
    assertThat(config.byteSize("multiproc.a", 1)).hasValue(1L << 20);
    assertThat(config.byteSize("multiproc.b", 1)).hasValue(512L << 10);
    assertThat(config.byteSize("multiproc.c", 1)).hasValue(64L << 20);
    assertThat(config.byteSize("multiproc.d", 1)).hasValue(2L << 30);
    assertThat(config.byteSize("multiproc.missing", 1)).isEmpty();
    assertThatThrownBy(() -> config.byteSize("multiproc.e", 1))
        .hasMessage("multiproc.e must be a size in bytes >= 1 such as 512k, 64m, 2g or 1048576: multiproc.e=1.5g");
    assertThatThrownBy(() -> config.byteSize("multiproc.f", 1)).hasMessageStartingWith("multiproc.f must be a size");
    assertThatThrownBy(() -> config.byteSize("multiproc.g", 1)).as("no overflow")
        .hasMessageStartingWith("multiproc.g must be a size");
  }
}
