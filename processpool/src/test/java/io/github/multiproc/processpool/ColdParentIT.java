package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.jfr.FlightRecorderGateTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

  @TempDir
  Path dir;

  /**
   * Loggers bind on first use, and nothing logs while nothing unusual happens: a program without
   * an SLF4J provider sees no "no providers" warning from the parent or any worker, and none of
   * the three JVMs pays SLF4J's start-up (~30 ms each in a fresh JVM, docs/performance-log.md).
   */
  @Test
  void shouldBindNoLoggingInTheParentOrAWorkerWhileNothingUnusualHappens() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xlog:class+load=info:stdout:none", "-cp",
        System.getProperty("java.class.path"), QuietProgram.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    List<String> parent = out.lines().map(l -> l.split(" ")[0]).toList();
    assertThat(parent).contains(QuietProgram.class.getName()).doesNotContain("org.slf4j.LoggerFactory");
    List<Path> workerLogs;
    try (Stream<Path> files = Files.list(dir)) {
      workerLogs = files.filter(f -> f.getFileName().toString().startsWith("w")).toList();
    }
    assertThat(workerLogs).hasSize(2);
    for (Path log : workerLogs) {
      String loaded = Files.readString(log);
      assertThat(loaded).as(log.toString()).contains("io.github.multiproc.processpool.internal.child.BatchRunner")
          .doesNotContain("org.slf4j.LoggerFactory");
    }
  }

  /** Two maps on a pool of two, each worker logging its class loads into the directory given. */
  public static final class QuietProgram {
    private QuietProgram() {}

    /**
     * Runs it.
     *
     * @param args the directory for the workers' class-load logs
     * @throws IOException never here
     */
    public static void main(String[] args) throws IOException {
      try (ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).output(WorkerOutput.DISCARD)
          .jvmArgs("-Xlog:class+load=info:file=" + Path.of(args[0]).resolve("w%p.log") + ":none").build()) {
        List<Integer> inputs = IntStream.range(0, 20_000).boxed().toList();
        pool.map((Integer x) -> x * x, inputs);
        pool.map((Integer x) -> x + 1, inputs);
      }
    }
  }
}
