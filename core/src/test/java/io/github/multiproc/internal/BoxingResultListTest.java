package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lists over a map's long or double results behave as any unmodifiable list of those values. */
class BoxingResultListTest {

  private final List<Long> longs = BoxingResultList.ofLongs(new long[] {3, -7, 1L << 40, 99}, 3);
  private final List<Double> doubles = BoxingResultList.ofDoubles(new double[] {0.5, Double.NaN, -0.0}, 3);

  @Test
  void shouldEqualAndHashLikeAnyListOfTheSameValues() {
    List<Long> sameLongs = new ArrayList<>(List.of(3L, -7L, 1L << 40));
    assertThat(longs).isEqualTo(sameLongs).hasSize(3);
    assertThat(sameLongs).isEqualTo(longs);
    assertThat(longs.hashCode()).isEqualTo(sameLongs.hashCode());
    assertThat(longs.indexOf(1L << 40)).isEqualTo(2);
    assertThat(longs.contains(99L)).as("past the size").isFalse();
    List<Double> sameDoubles = new ArrayList<>(List.of(0.5, Double.NaN, -0.0));
    assertThat(doubles).isEqualTo(sameDoubles);
    assertThat(doubles.hashCode()).isEqualTo(sameDoubles.hashCode());
    assertThatThrownBy(() -> longs.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void shouldRefuseEveryChange() {
    assertThatThrownBy(() -> longs.set(0, 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> doubles.add(1.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> longs.remove(0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldSerializeAsAnOrdinaryImmutableList() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(longs);
    }
    assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1))
        .as("a reader needs no multiproc class").doesNotContain("BoxingResultList");
    Object back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }
    assertThat(back).isEqualTo(List.of(3L, -7L, 1L << 40));
  }
}
