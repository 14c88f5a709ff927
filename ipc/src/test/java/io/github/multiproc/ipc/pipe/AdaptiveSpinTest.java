package io.github.multiproc.ipc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveSpinTest {

  @Test
  void shouldHalveOnFailureDoubleOnSuccessAndProbeWhenOff() {
    AdaptiveSpin spin = new AdaptiveSpin(64_000);
    assertThat(spin.budget()).isEqualTo(64_000);
    spin.failed();
    assertThat(spin.budget()).isEqualTo(32_000);
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(64_000);
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(64_000); // capped at the maximum
    for (int i = 0; i < 6; i++) {
      spin.failed();
      spin.budget();
    }
    assertThat(spin.budget()).isZero(); // 64k -> 32k -> ... -> 2k -> off
    for (int i = 3; i < AdaptiveSpin.PROBE_EVERY; i++) {
      assertThat(spin.budget()).isZero();
    }
    assertThat(spin.budget()).isEqualTo(AdaptiveSpin.PROBE_NANOS); // the periodic probe
    spin.succeeded();
    assertThat(spin.budget()).isEqualTo(2 * AdaptiveSpin.PROBE_NANOS); // back on
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
