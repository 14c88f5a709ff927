package io.github.multiproc.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every side-by-side scenario — our pools and channels against Python's
 * {@code multiprocessing} (and {@code memcpy} for shared memory) on this machine, in this run —
 * and writes {@code docs/benchmarks.md} and {@code docs/benchmarks/summary.svg}. This is what
 * {@code bin/bench} runs.
 *
 * <pre>
 * bin/bench              # 5 repetitions of each scenario, interleaved: ours, peer, ours, peer, ...
 * bin/bench --quick      # 3 repetitions, smaller sizes (a smoke run; does not write docs/)
 * bin/bench --runs 9     # more repetitions
 * bin/bench --user-level # only the user-level scenarios: whole programs (cold), warm-up curve, RSS
 * bin/bench --only "warm-up"   # scenarios whose name contains the text
 * </pre>
 *
 * <p>The user-level scenarios ({@link UserLevel}) come first in the report: they time whole
 * programs started as fresh processes, which is what a user meets first. The others are
 * steady-state figures (long-lived pools, warm JITs) and channel benchmarks.
 *
 * Each repetition starts its own pool or peer process. Ours and the peer's repetitions alternate
 * so that a change in machine load during the run affects both sides alike; the report quotes
 * medians and every repetition.
 */
public final class BenchSuite {

  private BenchSuite() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick}, {@code --runs N}, {@code --only <text>} (scenarios whose name contains it),
   *     {@code --user-level} (only the user-level group, as {@code --only user-level})
   * @throws Exception if a scenario fails
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int runs = 5;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--only" -> only = args[++i];
        case "--user-level" -> only = UserLevel.GROUP;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: BenchSuite [--quick] [--runs N] [--only text] [--user-level]");
      }
    }
    if (quick && runs == 5) {
      runs = 3;
    }
    Path root = Path.of("").toAbsolutePath();
    String machine = Machine.describe();
    System.out.println(machine);
    List<Comparison> userLevel = new ArrayList<>();
    UserLevel.Curve curve = null;
    if (UserLevel.selected(only)) {
      try (ProcessTreeTimer timer = ProcessTreeTimer.build()) {
        UserLevel.Result r = UserLevel.run(runs, root, timer);
        for (Comparison c : r.rows()) {
          if (only == null || only.equalsIgnoreCase(UserLevel.GROUP) || matches(c.scenario(), only)) {
            userLevel.add(c);
            printResult(c);
          }
        }
        curve = r.curve();
      }
      System.out.println("Warm-up curve (items/s of each map of one fresh pool, medians):");
      System.out.println(Report.curves(curve));
    }
    List<Comparison> results = new ArrayList<>();
    if (!UserLevel.GROUP.equalsIgnoreCase(String.valueOf(only))) {
      // The first pool on a class path trains the workers' start-up (AOT) cache in a detached
      // background JVM; a whole program run under the tree timer waits for it, so that nothing
      // timed here runs beside a training (the user-level group has done the same)
      try (ProcessTreeTimer timer = ProcessTreeTimer.build()) {
        UserLevel.trainCache(root, timer);
      }
      try (PythonPeer py = new PythonPeer(PythonExecutable.resolve(), root.resolve("benchmarks/python/peer.py"));
          Scenarios.MemcpyPeer memcpy = Scenarios.MemcpyPeer.build()) {
        for (Scenario s : Scenarios.all(py, memcpy, quick)) {
          if (only != null && !matches(s.name(), only)) {
            continue;
          }
          double[] ours = new double[runs];
          double[] peer = new double[runs];
          for (int r = 0; r < runs; r++) {
            ours[r] = s.ours().run();
            peer[r] = s.peer().run();
            System.out.printf(Locale.ROOT, "  %-48s run %d: multiproc %s, %s %s %s%n", s.name(), r + 1,
                Report.format(ours[r]), s.peerName(), Report.format(peer[r]), s.unit());
          }
          Comparison c = new Comparison(s.name(), s.unit(), s.better(), ours, peer, s.peerName());
          results.add(c);
          printResult(c);
        }
      }
    }
    if (!userLevel.isEmpty()) {
      System.out.println("What a user meets first: whole programs, cold (medians; paste into README/guide):\n"
          + Report.table(userLevel));
    }
    if (!results.isEmpty()) {
      System.out.println("Steady state and channels:\n" + Report.table(results));
    }
    System.out.println("load average after the run: " + Machine.loadAverage());
    if (!quick && only == null) {
      Report.writeMarkdown(root.resolve("docs"), machine + "\n- load average after the run: " + Machine.loadAverage(),
          "bin/bench", userLevel, curve, results);
      System.out.println("wrote docs/benchmarks.md, docs/benchmarks/summary.svg and docs/benchmarks/warmup.svg");
    }
  }

  private static boolean matches(String scenario, String only) {
    return scenario.toLowerCase(Locale.ROOT).contains(only.toLowerCase(Locale.ROOT));
  }

  private static void printResult(Comparison c) {
    System.out.printf(Locale.ROOT, "%s: multiproc %s %s, %s %s %s -> %.2f× %s%n%n", c.scenario(),
        Report.format(c.oursMedian()), c.unit(), c.peerName(), Report.format(c.peerMedian()), c.unit(),
        c.advantage(), c.advantage() >= 1 ? "better" : "worse");
  }

  /** What the report says about the machine. */
  public static final class Machine {
    private Machine() {}

    static String describe() throws IOException {
      return String.join("\n", List.of(
          "- CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available",
          "- memory: " + memTotal(),
          "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
              + System.getProperty("os.arch") + ")",
          "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          "- Python: " + pythonVersion(),
          "- load average before the run: " + loadAverage()));
    }

    /** {@return the 1, 5 and 15 minute load averages, or "unknown" without a readable /proc/loadavg} */
    public static String loadAverage() {
      try {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
      } catch (IOException e) {
        return "unknown";
      }
    }

    private static String cpuModel() throws IOException {
      Path p = Path.of("/proc/cpuinfo");
      if (Files.exists(p)) {
        for (String line : Files.readAllLines(p)) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).strip();
          }
        }
      }
      return System.getProperty("os.arch");
    }

    private static String memTotal() throws IOException {
      Path p = Path.of("/proc/meminfo");
      if (Files.exists(p)) {
        String line = Files.readAllLines(p).getFirst();
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
      }
      return "unknown";
    }

    private static String pythonVersion() {
      try {
        Process p = new ProcessBuilder(PythonExecutable.resolve(), "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        p.waitFor();
        return v + " (" + PythonExecutable.resolve() + ")";
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return "not found";
      }
    }
  }
}
