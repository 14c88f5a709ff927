package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.jfr.FlightRecorderGateTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fresh parent's short program (a pool of two, one map of a lambda, close) stays off the parts
 * of the JDK whose first use costs a cold JVM tens of milliseconds and that the pool does not need
 * (docs/performance-log.md): each of these was once on the way to the first worker or the first
 * result, and a change that brings one back fails here rather than only in a benchmark.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ColdParentIT {

  @Test
  void shouldLoadNoCostlyJdkSubsystemThatThePoolDoesNotNeed() throws Exception {
    List<String> loaded = FlightRecorderGateTest.classesLoadedBy(ProcessPoolJfrIT.ShortProgram.class);

    assertThat(loaded).contains(ProcessPoolJfrIT.ShortProgram.class.getName()); // the log works
    assertThat(loaded).doesNotContain(
        "java.math.BigDecimal", // Duration.multipliedBy/dividedBy: ~25 ms and 2.2 MB in a fresh JVM
        "java.util.Formatter", // String.format: the formatter and the locale providers, ~30 ms
        "java.security.SecureRandom", // the security providers, ~40 ms
        "java.security.MessageDigest",
        "java.io.ObjectOutputStream", // a lambda capturing nothing travels in its short form
        "java.lang.foreign.MemoryLayout", // shared memory, for answers that have no value out of band
        "jdk.jfr.Event"); // the Flight Recorder's metadata, 110-160 ms, while nothing records
  }
}
