package io.github.multiproc.benchmarks.suite;

import io.github.multiproc.benchmarks.suite.Comparison.Better;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The user-level scenarios of the suite: what a user meets first, measured on whole programs
 * started as fresh processes (issue "the first second"). Each repetition runs, alternating:
 *
 * <ul>
 *   <li>our {@link WholeProgram} ({@code java -cp benchmarks.jar ... WholeProgram}: JVM start,
 *       {@code ProcessPool.create(2)}, maps of {@code x -> x * x} over 100,000 integers, close,
 *       exit) against {@code benchmarks/python/whole_program.py} with {@code Pool(2)} under the
 *       {@code fork} and the {@code forkserver} start methods, for 1 map and for 20 maps: wall time
 *       until the main process exits, and CPU (user + system) of the whole process tree
 *       ({@link ProcessTreeTimer}); the program's own {@code create}, first map and close times;</li>
 *   <li>the exact port of that program, 20 maps: {@code x -> (long) x * x}, which gives Python's
 *       values (Java's {@code int} square wraps past 46,340), against the same Python program;</li>
 *   <li>the warm-up curve: items/s of each of 30 successive maps on one fresh pool, both sides,
 *       drawn into {@code docs/benchmarks/warmup.svg};</li>
 *   <li>memory: VmRSS of a worker and of the parent, idle (after start and a 0.5 s pause) and
 *       after 20 maps, both sides;</li>
 *   <li>the first run on a new class path (a fresh AOT cache directory, so the pool trains one)
 *       against the same program with the AOT cache off: what the training costs the user.</li>
 * </ul>
 *
 * <p>Nothing here is a steady-state figure: the suite's other scenarios are.
 */
final class UserLevel {

  static final int ITEMS = 100_000;
  static final int MANY_MAPS = 20;
  static final int CURVE_MAPS = 30;
  /** Selects only these scenarios: {@code bin/bench --only user-level} (or {@code --user-level}). */
  static final String GROUP = "user-level";

  /**
   * The user-level results.
   *
   * @param rows the comparisons, in report order
   * @param curve the median warm-up curve of each side (items/s per map), and every repetition's
   */
  record Result(List<Comparison> rows, Curve curve) {}

  /**
   * Warm-up curves: items/s of each successive map of one fresh pool.
   *
   * @param ours our repetitions, one array of {@link #CURVE_MAPS} rates each
   * @param peer the peer's repetitions
   * @param peerName the peer
   */
  record Curve(List<double[]> ours, List<double[]> peer, String peerName) {

    double[] oursMedian() {
      return medianPerMap(ours);
    }

    double[] peerMedian() {
      return medianPerMap(peer);
    }

    private static double[] medianPerMap(List<double[]> runs) {
      int n = runs.stream().mapToInt(r -> r.length).min().orElse(0);
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        int map = i;
        m[i] = Comparison.median(runs.stream().mapToDouble(r -> r[map]).toArray());
      }
      return m;
    }
  }

  /** One side's program: how to start it, and its name in the report. */
  private record Side(String name, List<String> command, Map<String, String> environment) {}

  /** What one run of a whole program reported: timer figures and the program's own key=value pairs. */
  private record Sample(ProcessTreeTimer.Run run, Map<String, String> values) {
    double value(String key) {
      return Double.parseDouble(values.get(key));
    }

    double[] mapSeconds() {
      return Arrays.stream(values.get("maps_s").split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    double firstMapItemsPerSecond() {
      return ITEMS / mapSeconds()[0];
    }

    double[] rates() {
      return Arrays.stream(mapSeconds()).map(s -> ITEMS / s).toArray();
    }

    /** Worker RSS in MiB: the larger of the two workers'. */
    double workerRss(String when) {
      return Math.max(value("rss_worker0_" + when + "_kib"), value("rss_worker1_" + when + "_kib")) / 1024.0;
    }

    double parentRss(String when) {
      return value("rss_parent_" + when + "_kib") / 1024.0;
    }
  }

  private final ProcessTreeTimer timer;
  private final Side ours;
  private final Side fork;
  private final Side forkserver;

  private UserLevel(ProcessTreeTimer timer, Path root) {
    this.timer = timer;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.ours = new Side("multiproc", List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), WholeProgram.class.getName()), Map.of());
    String script = root.resolve("benchmarks/python/whole_program.py").toString();
    this.fork = new Side("Python Pool(2), fork", List.of(PythonExecutable.resolve(), script, "fork"), Map.of());
    this.forkserver = new Side("Python Pool(2), forkserver", List.of(PythonExecutable.resolve(), script, "forkserver"), Map.of());
  }

  /**
   * Whether the group should run for an {@code --only} filter.
   *
   * @param only the filter, or null
   * @return true if no filter, the group's name, or a filter that matches one of its rows
   */
  static boolean selected(String only) {
    if (only == null || only.equalsIgnoreCase(GROUP)) {
      return true;
    }
    String o = only.toLowerCase(Locale.ROOT);
    return List.of("whole program", "create(2)", "warm-up", "rss", "first run", "first map of a fresh", "close()")
        .stream().anyMatch(k -> k.contains(o) || o.contains(k));
  }

  /**
   * Runs the user-level scenarios, each side's repetitions alternating.
   *
   * @param runs repetitions
   * @param root the repository root
   * @param timer the process-tree timer
   * @return the results
   * @throws Exception if a program fails
   */
  static Result run(int runs, Path root, ProcessTreeTimer timer) throws Exception {
    return new UserLevel(timer, root).measure(runs);
  }

  /**
   * Makes sure the workers' AOT cache for this class path exists before anything is timed: runs
   * one small whole program and waits for its whole process tree, a background training included.
   *
   * @param root the repository root
   * @param timer the process-tree timer
   * @throws Exception if the program fails
   */
  static void trainCache(Path root, ProcessTreeTimer timer) throws Exception {
    UserLevel u = new UserLevel(timer, root);
    u.sample(u.ours, 1, false);
  }

  private Result measure(int runs) throws Exception {
    // the AOT cache for this class path is trained before anything is timed: one whole program,
    // whose tree (including a background training) the timer waits for
    sample(ours, 1, false);
    Map<String, List<Sample>> one = new LinkedHashMap<>();
    Map<String, List<Sample>> many = new LinkedHashMap<>();
    Map<String, List<Sample>> rss = new LinkedHashMap<>();
    List<double[]> oursCurve = new ArrayList<>();
    List<double[]> forkCurve = new ArrayList<>();
    List<Sample> firstRun = new ArrayList<>();
    Map<String, List<Sample>> exact = new LinkedHashMap<>();
    Side oursExact = new Side(ours.name(), withArg(ours.command(), "-Dmultiproc.bench.task=intsToLongs"), Map.of());
    List<Sample> noCache = new ArrayList<>();
    List<Side> sides = List.of(ours, fork, forkserver);
    for (int r = 0; r < runs; r++) {
      // alternate who goes first, so that a change in load during a repetition hits both alike
      List<Side> order = r % 2 == 0 ? sides : List.of(fork, forkserver, ours);
      for (Side s : order) {
        one.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(sample(s, 1, false));
      }
      for (Side s : order) {
        many.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(sample(s, MANY_MAPS, false));
      }
      for (Side s : r % 2 == 0 ? List.of(oursExact, fork) : List.of(fork, oursExact)) {
        exact.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(sample(s, MANY_MAPS, false));
      }
      for (Side s : r % 2 == 0 ? List.of(ours, fork) : List.of(fork, ours)) {
        (s == ours ? oursCurve : forkCurve).add(sample(s, CURVE_MAPS, false).rates());
      }
      for (Side s : r % 2 == 0 ? List.of(ours, fork) : List.of(fork, ours)) {
        rss.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(sample(s, MANY_MAPS, true));
      }
      Path fresh = Files.createTempDirectory("multiproc-bench-aot");
      try {
        Side firstRunSide = new Side(ours.name(), ours.command(), Map.of("XDG_CACHE_HOME", fresh.toString()));
        Side noCacheSide = new Side(ours.name(), withArg(ours.command(), "-Dmultiproc.bench.aotCache=false"), Map.of());
        if (r % 2 == 0) {
          firstRun.add(sample(firstRunSide, 1, false));
          noCache.add(sample(noCacheSide, 1, false));
        } else {
          noCache.add(sample(noCacheSide, 1, false));
          firstRun.add(sample(firstRunSide, 1, false));
        }
      } finally {
        deleteTree(fresh);
      }
      System.out.printf(Locale.ROOT, "  user level run %d: whole program 1 map %s / %s / %s ms wall (multiproc / fork / forkserver)%n",
          r + 1, Report.format(last(one, ours).run().wallMillis()), Report.format(last(one, fork).run().wallMillis()),
          Report.format(last(one, forkserver).run().wallMillis()));
    }
    List<Comparison> rows = new ArrayList<>();
    for (var program : List.of(Map.entry(1, one), Map.entry(MANY_MAPS, many))) {
      String what = "Whole program, " + program.getKey() + (program.getKey() == 1 ? " map" : " maps") + " of 100k tiny items";
      Map<String, List<Sample>> s = program.getValue();
      for (Side peer : List.of(fork, forkserver)) {
        rows.add(row(what + ", wall", "ms", Better.LOWER, s, peer, x -> x.run().wallMillis()));
      }
      for (Side peer : List.of(fork, forkserver)) {
        rows.add(row(what + ", CPU (user+sys, process tree)", "ms", Better.LOWER, s, peer, x -> x.run().cpuMillis()));
      }
    }
    rows.add(row("Whole program, " + MANY_MAPS + " maps, exact port of square (x -> (long) x * x), wall", "ms",
        Better.LOWER, exact, fork, x -> x.run().wallMillis()));
    rows.add(row("Whole program, " + MANY_MAPS + " maps, exact port of square, CPU (process tree)", "ms",
        Better.LOWER, exact, fork, x -> x.run().cpuMillis()));
    for (Side peer : List.of(fork, forkserver)) {
      rows.add(row("ProcessPool.create(2) in a fresh JVM (Python: Pool(2))", "ms", Better.LOWER, one, peer,
          x -> x.value("create_ms")));
    }
    rows.add(row("First map of a fresh pool, in the whole program", "items/s", Better.HIGHER, one, fork,
        Sample::firstMapItemsPerSecond));
    rows.add(row("close() after 1 map", "ms", Better.LOWER, one, fork, x -> x.value("close_ms")));
    rows.add(curveRow("Warm-up, map 2 of a fresh pool", "items/s", oursCurve, forkCurve, c -> c[1]));
    rows.add(curveRow("Warm-up, slowest of maps 2-" + CURVE_MAPS, "items/s", oursCurve, forkCurve,
        c -> Arrays.stream(c, 1, c.length).min().orElseThrow()));
    rows.add(curveRow("Warm-up, best of maps 1-" + CURVE_MAPS, "items/s", oursCurve, forkCurve,
        c -> Arrays.stream(c).max().orElseThrow()));
    rows.add(curveRow("Warm-up, slowest map after the best, % of the best", "%", oursCurve, forkCurve,
        UserLevel::slowestAfterBest));
    rows.add(row("Worker RSS, idle (after start + 0.5 s)", "MiB", Better.LOWER, rss, fork, x -> x.workerRss("idle")));
    rows.add(row("Worker RSS after " + MANY_MAPS + " maps", "MiB", Better.LOWER, rss, fork, x -> x.workerRss("busy")));
    rows.add(row("Parent RSS, idle (after start + 0.5 s)", "MiB", Better.LOWER, rss, fork, x -> x.parentRss("idle")));
    rows.add(row("Parent RSS after " + MANY_MAPS + " maps", "MiB", Better.LOWER, rss, fork, x -> x.parentRss("busy")));
    rows.add(new Comparison("Whole program, 1 map, first run on a new class path (AOT cache trained), wall", "ms",
        Better.LOWER, firstRun.stream().mapToDouble(x -> x.run().wallMillis()).toArray(),
        noCache.stream().mapToDouble(x -> x.run().wallMillis()).toArray(), "multiproc, AOT cache off"));
    rows.add(new Comparison("Whole program, 1 map, first run on a new class path, CPU (process tree)", "ms",
        Better.LOWER, firstRun.stream().mapToDouble(x -> x.run().cpuMillis()).toArray(),
        noCache.stream().mapToDouble(x -> x.run().cpuMillis()).toArray(), "multiproc, AOT cache off"));
    return new Result(rows, new Curve(oursCurve, forkCurve, fork.name()));
  }

  private static Sample last(Map<String, List<Sample>> samples, Side side) {
    return samples.get(side.name()).getLast();
  }

  private Comparison row(String name, String unit, Better better, Map<String, List<Sample>> samples, Side peer,
      ToDoubleFunction<Sample> metric) {
    return new Comparison(name, unit, better, samples.get(ours.name()).stream().mapToDouble(metric).toArray(),
        samples.get(peer.name()).stream().mapToDouble(metric).toArray(), peer.name());
  }

  private Comparison curveRow(String name, String unit, List<double[]> oursCurve, List<double[]> peerCurve,
      ToDoubleFunction<double[]> metric) {
    return new Comparison(name, unit, Better.HIGHER, oursCurve.stream().mapToDouble(metric).toArray(),
        peerCurve.stream().mapToDouble(metric).toArray(), fork.name());
  }

  /** The slowest map after the fastest one, as a percentage of the fastest: 100 = no fall after the peak. */
  static double slowestAfterBest(double[] rates) {
    int best = 0;
    for (int i = 1; i < rates.length; i++) {
      if (rates[i] > rates[best]) {
        best = i;
      }
    }
    double slowest = rates[best];
    for (int i = best + 1; i < rates.length; i++) {
      slowest = Math.min(slowest, rates[i]);
    }
    return 100 * slowest / rates[best];
  }

  private Sample sample(Side side, int maps, boolean withRss) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(side.command());
    cmd.add(Integer.toString(maps));
    cmd.add(Integer.toString(ITEMS));
    if (withRss) {
      cmd.add("--rss");
    }
    ProcessTreeTimer.Run run = timer.run(cmd, side.environment());
    Map<String, String> values = new HashMap<>();
    for (String pair : run.output().lines().reduce((a, b) -> b).orElse("").split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    if (!values.containsKey("maps_s")) {
      throw new IOException(side.name() + " printed no timings: " + run.output());
    }
    return new Sample(run, values);
  }

  private static List<String> withArg(List<String> command, String jvmArg) {
    List<String> c = new ArrayList<>(command);
    c.add(1, jvmArg);
    return c;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
