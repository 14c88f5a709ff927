package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.processpool.plain.ConfigMain;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code ProcessPool} configured by environment variables alone, in a plain {@code java}
 * process: every key has its variable (the key in upper case, dots and dashes as underscores),
 * the old camelCase spelling still works with a warning, and a typo stops the program with the
 * closest valid name.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigurationIT {

  private static final Duration RUN = Duration.ofSeconds(90);

  @Test
  void shouldConfigureAProcessPoolFromEnvironmentVariables() throws Exception {
    PlainJava.Run run = run(Map.of("MULTIPROC_BACKEND", "process", "MULTIPROC_WORKERS", "1",
        "MULTIPROC_PROCESS_JVM_ARGS", "-Xmx96m -Dfrom.config=env",
        "MULTIPROC_PROCESS_MAX_TASKS_PER_WORKER", "2", "MULTIPROC_PROCESS_AOT_CACHE", "false",
        "MULTIPROC_PROCESS_START_TIMEOUT", "60s"));

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("pool=ProcessPool workers=1", "property=env");
    // 7 items (a job, then 6) at most 2 per worker: the worker was replaced, so at least 4 processes
    assertThat(Integer.parseInt(run.out().replaceAll("(?s).*processes=(\\d+).*", "$1"))).as(run.toString())
        .isGreaterThanOrEqualTo(4);
    assertThat(run.err()).doesNotContain("WARN");
  }

  @Test
  void shouldStillReadTheOldCamelCaseVariableWithAWarning() throws Exception {
    PlainJava.Run run = run(Map.of("MULTIPROC_BACKEND", "process", "MULTIPROC_WORKERS", "1",
        "MULTIPROC_PROCESS_JVMARGS", "-Dfrom.config=old-name"));

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("property=old-name");
    assertThat(run.err()).contains("environment variable MULTIPROC_PROCESS_JVMARGS is deprecated: use"
        + " MULTIPROC_PROCESS_JVM_ARGS (key multiproc.process.jvm-args)");
  }

  @Test
  void shouldStopAtATypoWithTheClosestValidName() throws Exception {
    PlainJava.Run run = run(Map.of("MULTIPROC_BACKEND", "process", "MULTIPROC_PROCESS_MAX_TASK_PER_WORKER", "2"));

    assertThat(run.exit()).as(run.toString()).isNotZero();
    assertThat(run.err()).contains("unknown configuration variable MULTIPROC_PROCESS_MAX_TASK_PER_WORKER (an environment"
        + " variable); did you mean MULTIPROC_PROCESS_MAX_TASKS_PER_WORKER (multiproc.process.max-tasks-per-worker)?");
  }

  private static PlainJava.Run run(Map<String, String> env) throws Exception {
    String logging = Path.of(org.slf4j.simple.SimpleLogger.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    ProcessBuilder pb = PlainJava.bare(List.of("-cp", PlainJava.moduleClassPath() + File.pathSeparator + logging,
        ConfigMain.class.getName()));
    pb.environment().keySet().removeIf(k -> k.startsWith("MULTIPROC_"));
    pb.environment().putAll(env);
    return PlainJava.run(pb, RUN);
  }
}
