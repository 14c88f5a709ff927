package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists core's keys as the code declares them, and no namespace core does not know. */
class ConfigurationPageTest {

  @Test
  void shouldListEveryCoreKeyWithItsVariableTypeAndDefault() throws Exception {
    ConfigurationPage page = ConfigurationPage.read();
    page.assertDocuments(Pools.configKeys());
    page.assertDocumentsOnly(k -> !k.startsWith("multiproc.process.") && !k.startsWith("multiproc.cluster."),
        PoolConfig.KEYS);
  }

  @Test
  void shouldGiveEveryRowAVariableThatFollowsTheSpellingRule() throws Exception {
    for (ConfigurationPage.Row row : ConfigurationPage.read().rows().values()) {
      assertThat(row.variable()).isEqualTo(ConfigKey.environmentVariable(row.key()));
      assertThat(List.of(row.type(), row.defaultValue())).allMatch(s -> !s.isBlank());
    }
  }
}
