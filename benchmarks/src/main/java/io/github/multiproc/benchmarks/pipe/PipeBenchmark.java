package io.github.multiproc.benchmarks.pipe;

import io.github.multiproc.benchmarks.suite.Comparison;
import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side benchmark of {@link Pipe} between two JVMs and Python's
 * {@code multiprocessing.Pipe} between two Python processes, in the same run on the same machine:
 * round trip of a 64-byte message (bytes, and objects through each language's serialization)
 * and one-way throughput of 1 MiB messages. Prints per-run numbers, medians and ratios.
 *
 * <p>Run (from the repository root; see {@code docs/architecture.md} for the exact command):
 * {@snippet lang=shell :
 * java -cp <benchmarks classes + dependencies> io.github.multiproc.benchmarks.pipe.PipeBenchmark \
 *     [runs=5] [roundTripsPerRun=10000] [mibPerRun=512] [python script path] [spin µs]
 * }
 *
 * <p>Not a JMH benchmark: it must run a second JVM and a Python interpreter as peers, and the
 * numbers it compares are medians of whole runs, each after a warm-up.
 */
public final class PipeBenchmark {

  private PipeBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: runs, round trips per run, MiB per throughput run, Python script path
   * @throws Exception if a peer fails
   */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int roundTrips = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    Path script = Path.of(args.length > 3 ? args[3] : "benchmarks/python/pipe_bench.py");
    Duration spin = args.length > 4 ? Duration.ofNanos(Long.parseLong(args[4]) * 1000) : Pipe.DEFAULT_SPIN;

    // Java and Python runs alternate, so that a change in the machine's load hits both alike.
    double[][] java = new double[3][runs];
    double[][] python = new double[3][runs];
    try (JavaPeer peer = JavaPeer.start(spin)) {
      peer.warmUp(roundTrips);
      for (int r = 0; r < runs; r++) {
        java[0][r] = peer.roundTrips(roundTrips, false);
        java[1][r] = peer.roundTrips(roundTrips, true);
        java[2][r] = peer.throughput(mib);
        String py = runPython(script, roundTrips, mib);
        python[0][r] = median(py, "rt_bytes_us");
        python[1][r] = median(py, "rt_object_us");
        python[2][r] = median(py, "mib_per_s");
      }
    }
    double rt = Comparison.median(java[0]);
    double rtObj = Comparison.median(java[1]);
    double tp = Comparison.median(java[2]);
    double pyRt = Comparison.median(python[0]);
    double pyRtObj = Comparison.median(python[1]);
    double pyTp = Comparison.median(python[2]);

    System.out.println("java   runs: rt_bytes_us=" + Arrays.toString(java[0]) + " rt_object_us="
        + Arrays.toString(java[1]) + " mib_per_s=" + Arrays.toString(java[2]));
    System.out.println("python runs: rt_bytes_us=" + Arrays.toString(python[0]) + " rt_object_us="
        + Arrays.toString(python[1]) + " mib_per_s=" + Arrays.toString(python[2]));
    System.out.println();
    System.out.println("| measure (median of " + runs + " runs) | multiproc Pipe (Java "
        + Runtime.version().feature() + ") | Python multiprocessing.Pipe | ratio |");
    System.out.println("|---|---|---|---|");
    row("64-byte round trip, bytes (µs)", rt, pyRt, pyRt / rt);
    row("64-byte round trip, objects (µs)", rtObj, pyRtObj, pyRtObj / rtObj);
    row("1 MiB messages one way (MiB/s)", tp, pyTp, tp / pyTp);
    System.out.println("(ratio > 1: multiproc is better; goal >= 2 for bytes round trip and throughput)");
  }

  private static void row(String what, double javaValue, double pythonValue, double ratio) {
    System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2fx |", what, javaValue,
        pythonValue, ratio));
  }

  /** The peer JVM and this JVM's end of the pipe to it. */
  private record JavaPeer(Pipe pipe, Process process) implements AutoCloseable {

    static JavaPeer start(Duration spin) throws IOException {
      Pipe pipe = Pipe.builder().spin(spin).open();
      List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
          System.getProperty("java.class.path"), PipeBenchPeer.class.getName(), pipe.second().handle());
      return new JavaPeer(pipe, new ProcessBuilder(cmd).inheritIO().start());
    }

    void warmUp(int roundTrips) throws IOException {
      roundTrips(roundTrips, false);
      roundTrips(roundTrips, true);
      throughput(64);
    }

    double roundTrips(int n, boolean objects) throws IOException {
      return PipeBenchmark.roundTrips(pipe.first(), n, objects);
    }

    double throughput(int mib) throws IOException {
      return PipeBenchmark.throughput(pipe.first(), mib);
    }

    @Override
    public void close() throws IOException {
      try {
        pipe.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the peer JVM did not exit after the pipe closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // keep the caller's interrupt status
      } finally {
        process.destroyForcibly();
      }
    }
  }

  /** @return microseconds per round trip */
  private static double roundTrips(Connection c, int n, boolean objects) throws IOException {
    byte[] msg = new byte[64];
    Arrays.fill(msg, (byte) 1);
    c.send((objects ? "echo-objects " : "echo-bytes ") + n);
    long start = System.nanoTime();
    if (objects) {
      for (int i = 0; i < n; i++) {
        c.send(msg);
        c.recv();
      }
    } else {
      for (int i = 0; i < n; i++) {
        c.sendBytes(msg);
        c.recvBytes();
      }
    }
    return (System.nanoTime() - start) / 1e3 / n;
  }

  /** @return MiB/s receiving {@code count} 1 MiB messages */
  private static double throughput(Connection c, int count) throws IOException {
    c.send("source " + count + " " + (1 << 20));
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      c.recvBytes();
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** Runs one Python run (warm-up included) and returns its JSON. */
  private static String runPython(Path script, int roundTrips, int mib) throws Exception {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("Python script not found (run from the repository root"
          + " or pass its path as the 4th argument): " + script.toAbsolutePath());
    }
    Process p = new ProcessBuilder("python3", script.toString(), "1",
        String.valueOf(roundTrips), String.valueOf(mib))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("python3 " + script + " exited with " + p.exitValue());
      }
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  private static double median(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": \\{\"runs\": \\[[^]]*], \"median\": ([0-9.eE+-]+)")
        .matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no median for " + key + " in: " + json);
    }
    return Double.parseDouble(m.group(1));
  }

}
