package io.github.multiproc.ipc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveSpinTest {

  @Test
  void shouldHalveOnFailureDoubleOnSuccessAndProbeWhenOff() {
    AdaptiveSpin spin = new AdaptiveSpin(16_000);
    assertThat(spin.budget()).isEqualTo(16_000);
    spin.failed();
    assertThat(spin.budget()).isEqualTo(8_000);
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(16_000);
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(16_000); // capped at the maximum
    for (int i = 0; i < 4; i++) {
      spin.failed();
    }
    assertThat(spin.budget()).isZero(); // 16k -> 8k -> 4k -> 2k -> off
    for (int i = 1; i < AdaptiveSpin.PROBE_EVERY - 1; i++) {
      assertThat(spin.budget()).isZero();
    }
    assertThat(spin.budget()).isEqualTo(8_000); // the periodic probe
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(AdaptiveSpin.MIN_NANOS);
  }

  @Test
  void shouldNeverSpinWhenConfiguredToZero() {
    AdaptiveSpin spin = new AdaptiveSpin(0);
    for (int i = 0; i < 2 * AdaptiveSpin.PROBE_EVERY; i++) {
      assertThat(spin.budget()).isZero();
    }
    spin.succeeded();
    assertThat(spin.budget()).isZero();
  }
}
