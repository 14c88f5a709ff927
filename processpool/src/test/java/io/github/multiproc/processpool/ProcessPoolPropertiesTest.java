package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.ConfigurationPage;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.Pools;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every deployment option of {@link ProcessPool.Builder} can be set from configuration, and the
 * keys are on docs/configuration.md. (ConfigurationIT runs a pool from environment variables.)
 */
class ProcessPoolPropertiesTest {

  @Test
  void shouldSetEveryDeploymentOptionFromItsKey() {
    String home = System.getProperty("java.home");
    Map<String, String> p = new HashMap<>(Map.of(
        "multiproc.workers", "3",
        ProcessPoolProperties.JVM_ARGS, " -Xmx96m   -Dapp.mode=batch ",
        ProcessPoolProperties.MAX_TASKS_PER_WORKER, "1000",
        ProcessPoolProperties.START_TIMEOUT, "45s",
        ProcessPoolProperties.OUTPUT, "LOG",
        ProcessPoolProperties.AOT_CACHE, "false",
        ProcessPoolProperties.TASK_TIMEOUT_GRACE, "250ms",
        ProcessPoolProperties.HEARTBEAT_INTERVAL, "2s",
        ProcessPoolProperties.HEARTBEAT_TIMEOUT, "PT30S",
        ProcessPoolProperties.IDEMPOTENT_RETRIES, "0"));
    p.put(ProcessPoolProperties.RESULT_DECODE_TIMEOUT, "2m");
    p.put(ProcessPoolProperties.WORKING_DIRECTORY, "/tmp");
    p.put(ProcessPoolProperties.CLASS_PATH, "/opt/a.jar" + File.pathSeparator + "/opt/classes");
    p.put(ProcessPoolProperties.JAVA_HOME, home);
    p.put(ProcessPoolProperties.LARGE_PAYLOAD_THRESHOLD, "256k");
    p.put(ProcessPoolProperties.MAX_WORKER_MEMORY, "2G");

    String builder = ProcessPoolProperties.toBuilder(PoolConfig.parse(p)).toString();

    assertThat(builder).contains("workers=3", "jvmArgs=[-Xmx96m, -Dapp.mode=batch]", "maxTasksPerWorker=1000",
        "startTimeout=PT45S", "output=LOG", "aotCache=false", "taskTimeoutGrace=PT0.25S", "heartbeat=PT2S/PT30S",
        "idempotentRetries=0", "resultDecodeTimeout=PT2M", "workingDirectory=/tmp", "classPath=[/opt/a.jar, /opt/classes]",
        "java=" + Path.of(home, "bin", "java"), "largePayloadThreshold=262144", "maxWorkerMemory=2147483648");
  }

  @Test
  void shouldKeepTheBuilderDefaultsForKeysNotGiven() {
    assertThat(ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of())).toString())
        .isEqualTo(ProcessPool.builder().toString());
  }

  @Test
  void shouldNameTheKeyOfAMalformedValue() {
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(ProcessPoolProperties.OUTPUT, "file"))))
        .hasMessage("multiproc.process.output must be one of [inherit, log, discard]: multiproc.process.output=file");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(ProcessPoolProperties.START_TIMEOUT, "0s"))))
        .hasMessage("multiproc.process.start-timeout must be longer than zero: multiproc.process.start-timeout=PT0S");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(
        ProcessPoolProperties.HEARTBEAT_INTERVAL, "20s"))))
        .hasMessageContaining("multiproc.process.heartbeat-timeout must be longer than multiproc.process.heartbeat-interval");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(ProcessPoolProperties.JAVA_HOME, "/nowhere"))))
        .hasMessageStartingWith("multiproc.process.java-home: javaHome has no executable bin/java");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(
        ProcessPoolProperties.MAX_WORKER_MEMORY, "lots"))))
        .hasMessage("multiproc.process.max-worker-memory must be a size in bytes >= 1 such as 512k, 64m, 2g or 1048576: "
            + "multiproc.process.max-worker-memory=lots");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(
        ProcessPoolProperties.LARGE_PAYLOAD_THRESHOLD, "0"))))
        .hasMessageContaining("large-payload-threshold must be a size in bytes >= 1");
    assertThatThrownBy(() -> ProcessPoolProperties.toBuilder(PoolConfig.parse(Map.of(
        ProcessPoolProperties.LARGE_PAYLOAD_THRESHOLD, "99999999999g"))))
        .hasMessageContaining("large-payload-threshold must be a size in bytes");
  }

  @Test
  void shouldDeclareItsKeysToFromConfigWithTheOldCamelCaseName() {
    assertThat(Pools.configKeys()).containsAll(ProcessPoolProperties.KEYS);
    assertThat(ProcessPoolProperties.KEYS).filteredOn(k -> k.name().equals(ProcessPoolProperties.JVM_ARGS))
        .flatExtracting(ConfigKey::deprecatedNames).containsExactly("multiproc.process.jvmArgs");
    assertThatThrownBy(() -> Pools.fromConfig(Map.of("multiproc.backend", "process", "multiproc.process.jvm-arg", "-Xmx1g")))
        .hasMessageContaining("did you mean multiproc.process.jvm-args?");
  }

  @Test
  void shouldBeListedOnTheConfigurationPage() throws Exception {
    ConfigurationPage page = ConfigurationPage.read();
    page.assertDocuments(ProcessPoolProperties.KEYS);
    page.assertDocumentsOnly(k -> k.startsWith("multiproc.process."), ProcessPoolProperties.KEYS);
  }
}
