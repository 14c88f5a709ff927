package io.github.multiproc.benchmarks.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class FixedPointTest {

  @Test
  void shouldWriteWhatExactDecimalArithmeticRoundedHalfUpWrites() {
    qt().forAll(longs().between(0, Long.MAX_VALUE / 2), integers().between(0, 6), integers().between(0, 1))
        .checkAssert((nanos, places, seconds) -> {
          long unit = seconds == 1 ? 1_000_000_000L : 1_000_000L;
          String expected = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit))
              .setScale(places, RoundingMode.HALF_UP).toPlainString();
          assertThat(FixedPoint.of(nanos, unit, places)).isEqualTo(expected);
        });
  }

  @Test
  void shouldPadTheFractionAndRoundAcrossTheDecimalPoint() {
    assertThat(FixedPoint.of(0, 1_000_000, 3)).isEqualTo("0.000");
    assertThat(FixedPoint.of(1_000, 1_000_000, 3)).isEqualTo("0.001");
    assertThat(FixedPoint.of(1_999_500, 1_000_000, 3)).isEqualTo("2.000");
    assertThat(FixedPoint.of(42_000_000_000L, 1_000_000_000, 6)).isEqualTo("42.000000");
    assertThat(FixedPoint.of(1_500_000, 1_000_000, 0)).isEqualTo("2");
  }

  @Test
  void shouldRefuseANegativeDurationAndPlacesTheUnitCannotHold() {
    assertThatThrownBy(() -> FixedPoint.of(-1, 1_000_000, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FixedPoint.of(1, 1_000_000, 7)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FixedPoint.of(1, 1_000_000, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
