package io.github.multiproc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ConfigurationPage;
import io.github.multiproc.PoolConfig;
import io.github.multiproc.Pools;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code multiproc.cluster.*} keys: parsed into the builder, declared to fromConfig, listed on the page. */
class ClusterPropertiesTest {

  @Test
  void shouldSetEveryOptionFromItsKey() {
    String builder = ClusterProperties.toBuilder(PoolConfig.parse(Map.of(
        "multiproc.workers", "6",
        ClusterProperties.MODE, "client",
        ClusterProperties.NAME, "jobs",
        ClusterProperties.MEMBERS, "10.0.0.1:5701, 10.0.0.2",
        ClusterProperties.PORT, "5801",
        ClusterProperties.DURABLE, "true",
        ClusterProperties.MAX_ATTEMPTS, "5",
        ClusterProperties.ALLOW, "com.acme.,org.example.",
        ClusterProperties.FAILURE_DETECTION_SECONDS, "4",
        ClusterProperties.MEMBER_THREADS, "3"))).toString();

    assertThat(builder).contains("mode=CLIENT", "clusterName=jobs", "members=[10.0.0.1:5701, 10.0.0.2]", "port=5801",
        "workers=6", "durable=true", "maxAttempts=5", "allowClasses=[com.acme., org.example.]", "memberThreads=3",
        "failureDetection=PT4S");
    assertThat(ClusterProperties.toBuilder(PoolConfig.parse(Map.of(ClusterProperties.CONNECT_TIMEOUT, "90s"))).toString())
        .contains("connectTimeout=PT1M30S");
  }

  @Test
  void shouldAcceptTheOldCamelCaseNamesAndRefuseTypos() {
    assertThat(Pools.configKeys()).containsAll(ClusterProperties.KEYS);
    assertThatThrownBy(() -> Pools.fromConfig(Map.of("multiproc.backend", "cluster", "multiproc.cluster.max-atempts", "2")))
        .hasMessageContaining("did you mean multiproc.cluster.max-attempts?");
  }

  @Test
  void shouldBeListedOnTheConfigurationPage() throws Exception {
    ConfigurationPage page = ConfigurationPage.read();
    page.assertDocuments(ClusterProperties.KEYS);
    page.assertDocumentsOnly(k -> k.startsWith("multiproc.cluster."), ClusterProperties.KEYS);
  }
}
