package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpinBudgetTest {

  @Test
  void shouldDecayToZeroOnMissesAndProbeToComeBack() {
    SpinBudget budget = new SpinBudget(50_000);
    assertThat(budget.next()).isEqualTo(50_000);
    for (int i = 0; i < 10; i++) {
      budget.failed();
    }
    int probes = 0;
    for (int i = 0; i < 2 * SpinBudget.PROBE_EVERY; i++) {
      if (budget.next() > 0) {
        probes++;
      }
    }
    assertThat(probes).isEqualTo(2);
    budget.succeeded();
    assertThat(budget.next()).isEqualTo(SpinBudget.MIN_NANOS);
    for (int i = 0; i < 10; i++) {
      budget.succeeded();
    }
    assertThat(budget.next()).isEqualTo(50_000);
  }

  @Test
  void shouldNeverSpinWhenConfiguredOff() {
    SpinBudget budget = new SpinBudget(0);
    for (int i = 0; i < 3 * SpinBudget.PROBE_EVERY; i++) {
      assertThat(budget.next()).isZero();
    }
    budget.succeeded();
    assertThat(budget.next()).isZero();
  }
}
