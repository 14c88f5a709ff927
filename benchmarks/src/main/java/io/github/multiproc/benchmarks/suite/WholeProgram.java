package io.github.multiproc.benchmarks.suite;

import io.github.multiproc.processpool.ProcessPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The user's whole program, as the issue "the first second" describes it: start the JVM,
 * {@code ProcessPool.create(2)}, {@code maps} times {@code map(x -> x * x)} over {@code items}
 * integers, close, exit. The suite starts it as a fresh {@code java} process and times the
 * process (wall, and CPU of the whole process tree), against {@code benchmarks/python/whole_program.py}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.multiproc.benchmarks.suite.WholeProgram 20 100000 [--rss]
 * </pre>
 *
 * <p>Prints one line to stdout, {@code create_ms=.. maps_s=a,b,.. close_ms=..} (times taken with
 * {@link System#nanoTime()}, which costs nothing measurable, and written after the last map
 * with {@link FixedPoint}, as Python's program writes its own after the loop). With {@code --rss} it also reads the
 * resident set (VmRSS) of itself and of each worker after the pool started and a short idle
 * pause ({@code idle}), and after the last map ({@code busy}): {@code rss_parent_idle_kib=..} and
 * so on. Reading {@code /proc} loads classes the plain program does not, so the timed runs go
 * without {@code --rss}.
 *
 * <p>{@code -Dmultiproc.bench.task=} picks the task and its values (the suite runs the default):
 * <ul>
 *   <li>{@code ints} (default): {@code x -> x * x} over {@code Integer}s; wraps past 46,340, as
 *       Java's {@code int} does;
 *   <li>{@code intsToLongs}: {@code x -> (long) x * x} over {@code Integer}s, the exact port of
 *       Python's {@code square} (the same values for every input);
 *   <li>{@code longs}: {@code x -> x * x} over {@code Long}s;
 *   <li>{@code doubles}: {@code x -> x * 0.5} over {@code Double}s.
 * </ul>
 */
public final class WholeProgram {

  /** {@code -Dmultiproc.bench.aotCache=false}: the same program with the workers' AOT cache off (the suite's control). */
  private static final boolean AOT_CACHE = Boolean.parseBoolean(System.getProperty("multiproc.bench.aotCache", "true"));

  /** {@code -Dmultiproc.bench.task}: the task and its values (class Javadoc). */
  private static final String TASK = System.getProperty("multiproc.bench.task", "ints");

  private WholeProgram() {}

  /**
   * Runs the program.
   *
   * @param args maps, items, optionally {@code --rss}
   * @throws Exception if the pool fails
   */
  public static void main(String[] args) throws Exception {
    int maps = Integer.parseInt(args[0]);
    int items = Integer.parseInt(args[1]);
    boolean rss = args.length > 2 && args[2].equals("--rss");
    List<Integer> inputs = IntStream.range(0, items).boxed().toList();
    List<Long> longs = TASK.equals("longs") ? IntStream.range(0, items).mapToObj(i -> (long) i).toList() : List.of();
    List<Double> doubles = TASK.equals("doubles") ? IntStream.range(0, items).mapToObj(i -> (double) i).toList() : List.of();
    StringBuilder out = new StringBuilder();
    long t0 = System.nanoTime();
    long closeStart;
    try (ProcessPool pool = AOT_CACHE ? ProcessPool.create(2) : ProcessPool.builder().workers(2).aotCache(false).build()) {
      out.append("create_ms=").append(ms(System.nanoTime() - t0));
      if (rss) {
        Thread.sleep(500); // idle: the pool's start-up work has settled, as in the Python script
        out.append(rssReport(pool, "idle"));
      }
      long[] mapNanos = new long[maps];
      for (int m = 0; m < maps; m++) {
        long s = System.nanoTime();
        List<? extends Number> squares = switch (TASK) {
          case "ints" -> pool.map(x -> x * x, inputs);
          case "intsToLongs" -> pool.map(x -> (long) x * x, inputs);
          case "longs" -> pool.map(x -> x * x, longs);
          case "doubles" -> pool.map(x -> x * 0.5, doubles);
          default -> throw new IllegalArgumentException("multiproc.bench.task: ints, intsToLongs, longs or doubles, not " + TASK);
        };
        long nanos = System.nanoTime() - s;
        long last = items - 1;
        double expected = TASK.equals("ints") ? (int) last * (int) last : TASK.equals("doubles") ? last * 0.5 : last * last;
        if (squares.get(items - 1).doubleValue() != expected) {
          throw new IllegalStateException("wrong result");
        }
        mapNanos[m] = nanos;
      }
      out.append(" maps_s=");
      for (int m = 0; m < maps; m++) {
        out.append(m == 0 ? "" : ",").append(FixedPoint.of(mapNanos[m], 1_000_000_000L, 6));
      }
      if (rss) {
        out.append(rssReport(pool, "busy"));
      }
      closeStart = System.nanoTime();
    }
    out.append(" close_ms=").append(ms(System.nanoTime() - closeStart));
    System.out.println(out);
  }

  private static String ms(long nanos) {
    return FixedPoint.of(nanos, 1_000_000L, 3);
  }

  private static String rssReport(ProcessPool pool, String when) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append(" rss_parent_").append(when).append("_kib=").append(rssKib(ProcessHandle.current().pid()));
    List<Long> pids = pool.workerPids();
    for (int i = 0; i < pids.size(); i++) {
      s.append(" rss_worker").append(i).append('_').append(when).append("_kib=").append(rssKib(pids.get(i)));
    }
    return s.toString();
  }

  /** {@return VmRSS of a process in KiB, from /proc/<pid>/status (Linux), or -1} */
  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
