package io.github.multiproc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.TaskFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input indexes of a map's chunk and of a submitted job's chunk. */
class ChunkTest {

  @Test
  void shouldGiveEachItemItsInputIndex() {
    Chunk<String> chunk = new Chunk<>(40, List.of("a", "b", "c"));
    assertThat(chunk.indexOf(0)).isEqualTo(40);
    assertThat(chunk.indexOf(2)).isEqualTo(42);
    assertThat(chunk.description()).isEqualTo("the chunk from input #40");
  }

  @Test
  void shouldGiveAJobNoInputIndex() {
    Chunk<Object> job = Chunk.ofJob();
    assertThat(job.size()).isEqualTo(1);
    assertThat(job.indexOf(0)).isEqualTo(TaskFailedException.NO_INDEX);
    assertThat(job.description()).isEqualTo("the submitted job");
  }

  @Test
  void shouldRefuseNegativeIndexesAndEmptyChunks() {
    assertThatThrownBy(() -> new Chunk<>(-2, List.of("a"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Chunk<>(TaskFailedException.NO_INDEX, List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NO_INDEX");
    assertThatThrownBy(() -> new Chunk<>(0, List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
