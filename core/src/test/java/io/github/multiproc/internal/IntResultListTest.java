package io.github.multiproc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list over a map's int results behaves as any unmodifiable list of those Integers. */
class IntResultListTest {

  private final List<Integer> list = new IntResultList(new int[] {3, -7, 3, 1000, 99}, 4);

  @Test
  void shouldEqualAndHashLikeAnyListOfTheSameIntegers() {
    List<Integer> same = new ArrayList<>(List.of(3, -7, 3, 1000));
    assertThat(list).isEqualTo(same).hasSize(4);
    assertThat(same).isEqualTo(list);
    assertThat(list.hashCode()).isEqualTo(same.hashCode());
    assertThat(list.toArray()).containsExactly(3, -7, 3, 1000);
    assertThat(list.toArray(new Integer[0])).containsExactly(3, -7, 3, 1000);
    assertThat(list.toString()).isEqualTo(same.toString());
  }

  @Test
  void shouldFindValuesOnlyWithinItsSize() {
    assertThat(list.indexOf(3)).isZero();
    assertThat(list.lastIndexOf(3)).isEqualTo(2);
    assertThat(list.contains(1000)).isTrue();
    assertThat(list.contains(99)).as("past the size").isFalse();
    assertThat(list.contains("3")).isFalse();
    assertThat(list.indexOf(null)).isEqualTo(-1);
    assertThatThrownBy(() -> list.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void shouldRefuseEveryChange() {
    assertThatThrownBy(() -> list.set(0, 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(list::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldSerializeAsAnOrdinaryImmutableList() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(list);
    }
    assertThat(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("a reader needs no multiproc class").doesNotContain("IntResultList");
    Object back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }
    assertThat(back).isEqualTo(List.of(3, -7, 3, 1000));
  }
}
