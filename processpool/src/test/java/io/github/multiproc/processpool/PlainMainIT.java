package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.processpool.plain.PlainMain;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link PlainMain} as a user would: a plain {@code java -cp ...} command outside Maven and
 * Surefire, its class path being what {@code mvn dependency:build-classpath} printed (written to
 * {@code target/runtime-classpath.txt} by the build) plus this module's classes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PlainMainIT {

  @Test
  void shouldRunAProcessPoolMapFromAPlainMain() throws Exception {
    Process p = PlainJava.command(List.of(), PlainJava.moduleClassPath(), PlainMain.class)
        .redirectErrorStream(true).start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("sum=328350").contains("otherProcesses=true");
    assertThat(p.descendants()).isEmpty();
  }
}
