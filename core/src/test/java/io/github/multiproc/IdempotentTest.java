package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.spi.AbstractPool;
import org.junit.jupiter.api.Test;

class IdempotentTest {

  @Test
  void shouldMarkTasksAndJobsAndSeeThroughTheJobWrapper() throws Exception {
    Task<Integer, Integer> plain = x -> x + 1;
    Task<Integer, Integer> marked = Idempotent.task(plain);
    assertThat(Idempotent.isIdempotent(plain)).isFalse();
    assertThat(Idempotent.isIdempotent(marked)).isTrue();
    assertThat(marked.apply(1)).isEqualTo(2);

    Job<String> job = Idempotent.job(() -> "ok");
    assertThat(Idempotent.isIdempotent(new AbstractPool.JobTask<>(job))).isTrue();
    assertThat(Idempotent.isIdempotent(new AbstractPool.JobTask<>(() -> "no"))).isFalse();
    assertThat(job.call()).isEqualTo("ok");
  }

  @Test
  void shouldRunMarkedTasksOnEveryBackendLikeAnyOther() {
    try (Pool pool = ThreadPool.create(2)) {
      assertThat(pool.map(Idempotent.task((Integer x) -> x * 2), java.util.List.of(1, 2))).containsExactly(2, 4);
    }
  }
}
