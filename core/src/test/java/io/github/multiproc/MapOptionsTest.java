package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MapOptionsTest {

  @Test
  void shouldRejectBadValuesWithTheRuleAndTheValue() {
    assertThatThrownBy(() -> MapOptions.builder().chunkSize(0)).hasMessage("chunkSize must be >= 1: chunkSize=0");
    assertThatThrownBy(() -> MapOptions.builder().taskTimeout(Duration.ZERO))
        .hasMessage("taskTimeout must be positive: taskTimeout=PT0S");
    assertThatThrownBy(() -> MapOptions.builder().maxChunksInFlight(-1))
        .hasMessage("maxChunksInFlight must be >= 1: maxChunksInFlight=-1");
    assertThatThrownBy(() -> MapOptions.builder().progressListener(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepWhatWasSet() {
    ProgressListener listener = (done, total) -> {};
    MapOptions o = MapOptions.builder().chunkSize(3).taskTimeout(Duration.ofSeconds(2))
        .progressListener(listener).maxChunksInFlight(4).build();
    assertThat(o.chunkSize()).isEqualTo(3);
    assertThat(o.taskTimeout()).hasValue(Duration.ofSeconds(2));
    assertThat(o.progressListener()).containsSame(listener);
    assertThat(o.maxChunksInFlight()).isEqualTo(4);
    assertThat(o.toBuilder().chunkSize(9).build().taskTimeout()).hasValue(Duration.ofSeconds(2));
    assertThat(MapOptions.defaults().chunkSize()).isZero();
    assertThat(MapOptions.defaults().toString()).contains("chunkSize=auto");
  }
}
