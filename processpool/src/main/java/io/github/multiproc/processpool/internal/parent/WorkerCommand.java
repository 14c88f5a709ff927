package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.child.WorkerMain;
import io.github.multiproc.processpool.internal.launch.ClassPathResolver;
import io.github.multiproc.processpool.internal.launch.JavaExecutable;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of a worker JVM: a {@code java} executable, where the worker finds its
 * classes ({@link WorkerClassPath}: class path, module path or a Spring Boot launcher), the pool's
 * JVM arguments, and where the worker finds its protocol pipes.
 *
 * <pre>
 * java -Xshare:auto -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr
 *      --enable-native-access=ALL-UNNAMED [-XX:AOTCache=...] [user jvmArgs...]
 *      -cp &lt;absolute class path&gt; io.github.multiproc.processpool.internal.child.WorkerMain
 *      &lt;parent pid&gt; &lt;codec&gt; &lt;pipe directory&gt;
 * </pre>
 *
 * <p>The protocol runs over two named pipes ({@link WorkerPipes}), never over the worker's stdin/stdout, so the
 * JVM's own messages only need to go to stderr for the death diagnostics (the stderr tail).
 *
 * @param java the {@code java} executable
 * @param paths where the worker finds its classes
 * @param jvmArgs the user's JVM arguments
 * @param environment extra environment variables
 * @param workingDirectory the worker's working directory, or null for the parent's
 * @param codecClass the worker codec's class name
 */
public record WorkerCommand(String java, WorkerClassPath paths, List<String> jvmArgs,
    Map<String, String> environment, Path workingDirectory, String codecClass) {

  /** The worker's main class. */
  public static final String MAIN_CLASS = WorkerMain.class.getName();

  /**
   * Copies the lists.
   *
   * @param java the {@code java} executable
   * @param paths where the worker finds its classes
   * @param jvmArgs the user's JVM arguments
   * @param environment extra environment variables
   * @param workingDirectory the worker's working directory, or null for the parent's
   * @param codecClass the worker codec's class name
   */
  public WorkerCommand {
    jvmArgs = List.copyOf(jvmArgs);
    environment = Map.copyOf(environment);
  }

  // ---- Worker JVM sizing defaults (issue "the first second"): kept apart from the command line
  // and the class path, measured in docs/performance-log.md ----

  /** JVM flags of the garbage-collector family: a user's choice of collector wins. */
  private static final List<String> GC_FLAGS = List.of("-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC",
      "-XX:+UseZGC", "-XX:+UseShenandoahGC", "-XX:+UseEpsilonGC");
  /** JVM flags that size the heap: any of them and the pool adds no heap flag. */
  private static final List<String> HEAP_FLAGS = List.of("-Xms", "-Xmx", "-Xmn", "-XX:InitialHeapSize=",
      "-XX:MaxHeapSize=", "-XX:MinHeapSize=", "-XX:NewSize=", "-XX:MaxNewSize=", "-XX:InitialRAMPercentage=",
      "-XX:MaxRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:MaxRAM=", "-XX:MaxRAMFraction=", "-XX:NewRatio=");
  /** The initial heap of a pool's worker: with the serial collector a young generation of ~5 MB. */
  static final String WORKER_INITIAL_HEAP = "-Xms16m";
  /** The share of this machine's memory that all of a pool's worker heaps together may reach at most. */
  static final double WORKERS_RAM_PERCENTAGE = 25.0;

  /**
   * The JVM sizing defaults of a pool's workers, to put before the user's JVM arguments (a later
   * flag wins, and a family the user sets at all is left out): a worker JVM by default sizes itself
   * as if it had the machine alone, with a quarter of the RAM for its heap, a young generation and
   * GC and compiler threads for every core. Measured on this project's 2-core machine
   * ({@code docs/performance-log.md}, "Cold start and warm-up"):
   *
   * <ul>
   *   <li>{@code -XX:+UseSerialGC} when each worker has at most 2 cores
   *       ({@code availableProcessors / workers}): the collector the JVM picks itself for a small
   *       machine; no GC threads, no remembered sets;</li>
   *   <li>{@code -Xms16m}: a small young generation that is reused instead of ~200 MB of fresh
   *       eden touched for the first time map after map (page faults: ~740 per worker per map of
   *       100k items, the warm-up curve's fall, and the busy RSS of 100-115 MiB); the heap still
   *       grows with the live data, up to the maximum;</li>
   *   <li>{@code -XX:MaxRAMPercentage=25/workers}: together the workers may take the quarter of
   *       RAM that one JVM takes by default, not a quarter each;</li>
   *   <li>{@code -XX:ActiveProcessorCount=availableProcessors/workers} (at least 1): compiler and GC
   *       threads, the common fork-join pool and {@code Runtime.availableProcessors()} in the
   *       worker match its share of the machine.</li>
   * </ul>
   *
   * A user who sets any flag of a family (a collector, any heap size, the processor count) gets
   * none of ours for that family, so a pool can always be sized by hand with {@code jvmArgs}.
   *
   * @param workers the pool's number of workers, at least 1
   * @param userArgs the user's JVM arguments
   * @return the default flags, possibly empty
   */
  public static List<String> poolWorkerSizing(int workers, List<String> userArgs) {
    return poolWorkerSizing(workers, Runtime.getRuntime().availableProcessors(), userArgs);
  }

  static List<String> poolWorkerSizing(int workers, int processors, List<String> userArgs) {
    int share = Math.max(1, processors / Math.max(1, workers));
    List<String> flags = new ArrayList<>();
    if (share <= 2 && userArgs.stream().noneMatch(GC_FLAGS::contains)) {
      flags.add("-XX:+UseSerialGC");
    }
    if (userArgs.stream().noneMatch(a -> HEAP_FLAGS.stream().anyMatch(a::startsWith))) {
      flags.add(WORKER_INITIAL_HEAP);
      if (workers > 1) {
        flags.add("-XX:MaxRAMPercentage=" + percentage(WORKERS_RAM_PERCENTAGE / workers));
      }
    }
    if (share < processors && userArgs.stream().noneMatch(a -> a.startsWith("-XX:ActiveProcessorCount="))) {
      flags.add("-XX:ActiveProcessorCount=" + share);
    }
    return List.copyOf(flags);
  }

  /* Two decimals by hand: String.format loads the Formatter and the locale providers, ~30 ms of a
     cold parent's way to its first worker (docs/performance-log.md). */
  private static String percentage(double p) {
    if (p == Math.rint(p)) {
      return Long.toString((long) p);
    }
    long hundredths = Math.round(p * 100); // half up, as %.2f
    long cents = hundredths % 100;
    return (hundredths / 100) + (cents < 10 ? ".0" : ".") + cents;
  }

  /** @return the workers' class path as one string, possibly empty (the Spring Boot jar when launched through Boot) */
  public String classPath() {
    return paths.classPath();
  }

  /** @return the module path, or null when the workers run on the class path only */
  public String modulePath() {
    return paths.modulePath();
  }

  /**
   * Returns the command line for display and for the AOT cache key: the pipe directory is a
   * placeholder, since it differs for every worker.
   *
   * @param parentPid this JVM's pid, which the worker watches
   * @param aotCacheArgs flags for the AOT cache, possibly empty
   * @return the command
   */
  public List<String> commandLine(long parentPid, List<String> aotCacheArgs) {
    return commandLine(parentPid, aotCacheArgs, "<pipes>");
  }

  /**
   * Returns the full command line of a worker.
   *
   * @param parentPid this JVM's pid, which the worker watches
   * @param aotCacheArgs flags for the AOT cache, possibly empty
   * @param pipes the directory of the worker's protocol pipes
   * @return the command
   */
  public List<String> commandLine(long parentPid, List<String> aotCacheArgs, String pipes) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    if (aotCacheArgs.isEmpty()) {
      cmd.add("-Xshare:auto"); // the JDK's default CDS archive; the AOT cache flags exclude -Xshare
    }
    cmd.add("-XX:+DisplayVMOutputToStderr");
    cmd.add("-Xlog:disable");
    cmd.add("-Xlog:all=warning:stderr");
    cmd.add(paths.nativeAccessOption());
    cmd.addAll(aotCacheArgs);
    cmd.addAll(jvmArgs);
    cmd.addAll(paths.launchArguments(MAIN_CLASS));
    cmd.add(Long.toString(parentPid));
    cmd.add(codecClass);
    cmd.add(pipes);
    return cmd;
  }

  /**
   * Creates the process builder for this command.
   *
   * @param parentPid this JVM's pid
   * @param aotCacheArgs flags for the AOT cache
   * @param pipes the worker's protocol pipes
   * @return the builder, stdin/stdout/stderr as pipes
   */
  public ProcessBuilder processBuilder(long parentPid, List<String> aotCacheArgs, WorkerPipes pipes) {
    ProcessBuilder pb = new ProcessBuilder(commandLine(parentPid, aotCacheArgs, pipes.directory().toString()));
    pb.environment().putAll(environment);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    return pb;
  }
}
