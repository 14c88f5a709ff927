package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The recycler hands back a kept payload of exactly the size asked for, once, and keeps a bounded few. */
class TasksRecyclerTest {

  @Test
  void shouldTakeAKeptPayloadOfTheExactSizeOnce() {
    TasksRecycler recycler = new TasksRecycler();
    byte[] small = new byte[100];
    byte[] large = new byte[400];
    recycler.give(small);
    recycler.give(large);

    assertThat(recycler.take(400)).isSameAs(large);
    assertThat(recycler.take(400)).isNull();
    assertThat(recycler.take(99)).isNull();
    assertThat(recycler.take(100)).isSameAs(small);
    assertThat(recycler.kept()).isZero();
  }

  @Test
  void shouldKeepABoundedNumberOfPayloadsAndNoLargeOne() {
    TasksRecycler recycler = new TasksRecycler();
    recycler.give(new byte[TasksRecycler.MAX_BYTES + 1]);
    assertThat(recycler.kept()).isZero();

    byte[] oldest = new byte[64];
    recycler.give(oldest);
    for (int i = 0; i < TasksRecycler.MAX_KEPT; i++) {
      recycler.give(new byte[64]);
    }

    assertThat(recycler.kept()).isEqualTo(TasksRecycler.MAX_KEPT);
    for (int i = 0; i < TasksRecycler.MAX_KEPT; i++) {
      assertThat(recycler.take(64)).isNotSameAs(oldest);
    }
  }
}
