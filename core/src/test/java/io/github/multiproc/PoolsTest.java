package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolsTest {

  @Test
  void shouldCreateAThreadPoolByDefault() {
    try (Pool pool = Pools.fromConfig(Map.of())) {
      assertThat(pool).isInstanceOf(ThreadPool.class);
      assertThat(pool.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void shouldSelectTheBackendAndSizeByConfigurationAlone() {
    Task<Integer, Integer> twice = x -> 2 * x;
    for (String backend : List.of("thread", "virtual", "THREAD")) {
      try (Pool pool = Pools.fromConfig(Map.of(PoolConfig.BACKEND, backend, PoolConfig.WORKERS, "3"))) {
        assertThat(pool.workers()).isEqualTo(3);
        assertThat(pool.map(twice, List.of(1, 2, 3))).containsExactly(2, 4, 6);
      }
    }
    try (Pool pool = Pools.fromConfig(Map.of(PoolConfig.BACKEND, "virtual"))) {
      assertThat(pool).isInstanceOf(VirtualThreadPool.class);
      assertThat(pool.workers()).isEqualTo(VirtualThreadPool.DEFAULT_MAX_CONCURRENCY);
    }
  }

  @Test
  void shouldListTheValidBackendsForAnUnknownOne() {
    assertThatThrownBy(() -> Pools.fromConfig(Map.of(PoolConfig.BACKEND, "gpu")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown multiproc.backend=gpu")
        .hasMessageContaining("thread")
        .hasMessageContaining("virtual");
  }

  @Test
  void shouldRejectABadWorkerCount() {
    for (String bad : List.of("zero", "0", "-2", "1.5")) {
      assertThatThrownBy(() -> Pools.fromConfig(Map.of(PoolConfig.WORKERS, bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("multiproc.workers must be a whole number >= 1: multiproc.workers=" + bad);
    }
  }

  @Test
  void shouldPreferSystemPropertiesThenEnvironmentThenTheClassPathFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(Pools.PROPERTIES_RESOURCE), "multiproc.backend=virtual\nmultiproc.workers=5\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Properties system = new Properties();
      system.setProperty("multiproc.workers", "7");
      system.setProperty("unrelated", "x");
      Map<String, String> env = Map.of("MULTIPROC_BACKEND", "thread", "MULTIPROC_WORKERS", "6", "PATH", "/bin");

      assertThat(Pools.effectiveProperties(system, env, loader)).containsExactlyInAnyOrderEntriesOf(Map.of(
          "multiproc.backend", "thread", "multiproc.workers", "7"));
      assertThat(Pools.effectiveProperties(new Properties(), env, loader))
          .containsEntry("multiproc.workers", "6");
      assertThat(Pools.effectiveProperties(new Properties(), Map.of(), loader))
          .containsEntry("multiproc.backend", "virtual").containsEntry("multiproc.workers", "5");
    }
  }

  @Test
  void shouldRefuseATypoWithTheClosestValidKeyWhereverItComesFrom() {
    assertThatThrownBy(() -> Pools.fromConfig(Map.of("multiproc.worker", "5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown configuration key multiproc.worker (the given properties); did you mean"
            + " multiproc.workers?");
    Properties system = new Properties();
    system.setProperty("multiproc.bakend", "virtual");
    assertThatThrownBy(() -> Pools.effectiveProperties(system, Map.of(), null))
        .hasMessageContaining("unknown configuration key multiproc.bakend (a system property); did you mean"
            + " multiproc.backend?");
    assertThatThrownBy(() -> Pools.effectiveProperties(new Properties(), Map.of("MULTIPROC_WORKER", "5"), null))
        .hasMessageContaining("unknown configuration variable MULTIPROC_WORKER (an environment variable); did you mean"
            + " MULTIPROC_WORKERS (multiproc.workers)?");
  }

  @Test
  void shouldSayWhichArtifactReadsTheKeysOfABackendThatIsNotInstalled() {
    assertThatThrownBy(() -> Pools.fromConfig(Map.of("multiproc.cluster.mode", "client")))
        .hasMessageContaining("unknown configuration key multiproc.cluster.mode")
        .hasMessageContaining("add io.github.multiproc:multiproc-cluster to the class path");
  }

  @Test
  void shouldListEveryKeyOfTheInstalledBackends() {
    assertThat(Pools.configKeys()).extracting(ConfigKey::name).containsExactly("multiproc.backend", "multiproc.workers");
  }

  @Test
  void shouldParseConfigOnceIntoATypedRecord() {
    PoolConfig config = PoolConfig.parse(Map.of("multiproc.backend", " Process ", "multiproc.workers", "4",
        "multiproc.process.jvmArgs", "-Xmx1g", "other.key", "ignored"));
    assertThat(config.backend()).isEqualTo("process");
    assertThat(config.workers()).hasValue(4);
    assertThat(config.properties()).containsOnlyKeys("multiproc.backend", "multiproc.workers", "multiproc.process.jvmArgs");
  }
}
