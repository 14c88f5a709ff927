package io.github.multiproc.processpool;

import io.github.multiproc.ConfigKey;
import io.github.multiproc.PoolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code multiproc.process.*} configuration keys, parsed once into a {@link ProcessPool.Builder}:
 * every builder option that is decided where a program is deployed rather than where it is
 * written. Code-only options (an initializer, an event listener, a codec) stay on the builder.
 *
 * <table class="striped">
 * <caption>Keys (all optional; environment variable: the key in upper case, dots and dashes as underscores)</caption>
 * <tr><th>key</th><th>builder option</th><th>default</th></tr>
 * <tr><td>{@value #JVM_ARGS}</td><td>{@link ProcessPool.Builder#jvmArgs}, separated by blanks</td><td>none</td></tr>
 * <tr><td>{@value #MAX_TASKS_PER_WORKER}</td><td>{@link ProcessPool.Builder#maxTasksPerWorker}</td><td>unlimited</td></tr>
 * <tr><td>{@value #START_TIMEOUT}</td><td>{@link ProcessPool.Builder#startTimeout}</td><td>30s</td></tr>
 * <tr><td>{@value #OUTPUT}</td><td>{@link ProcessPool.Builder#output}: inherit, log, discard</td><td>inherit</td></tr>
 * <tr><td>{@value #AOT_CACHE}</td><td>{@link ProcessPool.Builder#aotCache}</td><td>true</td></tr>
 * <tr><td>{@value #TASK_TIMEOUT_GRACE}</td><td>{@link ProcessPool.Builder#taskTimeoutGrace}</td><td>1s</td></tr>
 * <tr><td>{@value #HEARTBEAT_INTERVAL}, {@value #HEARTBEAT_TIMEOUT}</td><td>{@link ProcessPool.Builder#heartbeat}</td><td>1s, 10s</td></tr>
 * <tr><td>{@value #IDEMPOTENT_RETRIES}</td><td>{@link ProcessPool.Builder#idempotentRetries}</td><td>2</td></tr>
 * <tr><td>{@value #RESULT_DECODE_TIMEOUT}</td><td>{@link ProcessPool.Builder#resultDecodeTimeout}</td><td>60s</td></tr>
 * <tr><td>{@value #WORKING_DIRECTORY}</td><td>{@link ProcessPool.Builder#workingDirectory}</td><td>this JVM's</td></tr>
 * <tr><td>{@value #CLASS_PATH}</td><td>{@link ProcessPool.Builder#classPath(java.util.List)}, separated by the path separator</td><td>inferred</td></tr>
 * <tr><td>{@value #JAVA_HOME}</td><td>{@link ProcessPool.Builder#javaHome}</td><td>this JVM's</td></tr>
 * </table>
 *
 * <p>Durations are written {@code 500ms}, {@code 30s}, {@code 2m} or ISO-8601 ({@code PT30S}).
 * {@code multiproc.workers} sets the number of workers. The old name
 * {@code multiproc.process.jvmArgs} is still read, with a warning.
 *
 * <p>Stateless and thread-safe; the returned builder is not (one per thread, as any builder).
 *
 * {@snippet :
 * // MULTIPROC_PROCESS_JVM_ARGS="-Xmx512m" MULTIPROC_PROCESS_MAX_TASKS_PER_WORKER=1000
 * ProcessPool pool = ProcessPoolProperties.toBuilder(Pools.config())
 *     .initializer(() -> Model.load())
 *     .build();
 * }
 *
 * @since 0.1
 */
public final class ProcessPoolProperties {

  /** Worker JVM arguments, separated by blanks. */
  public static final String JVM_ARGS = "multiproc.process.jvm-args";
  /** Items a worker runs before it is replaced. */
  public static final String MAX_TASKS_PER_WORKER = "multiproc.process.max-tasks-per-worker";
  /** How long a worker may take to start. */
  public static final String START_TIMEOUT = "multiproc.process.start-timeout";
  /** Where worker output goes. */
  public static final String OUTPUT = "multiproc.process.output";
  /** Whether workers start from a JDK AOT cache. */
  public static final String AOT_CACHE = "multiproc.process.aot-cache";
  /** How long a timed-out or cancelled task may take to stop before its worker is killed. */
  public static final String TASK_TIMEOUT_GRACE = "multiproc.process.task-timeout-grace";
  /** How often the pool pings each worker. */
  public static final String HEARTBEAT_INTERVAL = "multiproc.process.heartbeat-interval";
  /** How long a silent worker is given before it is killed. */
  public static final String HEARTBEAT_TIMEOUT = "multiproc.process.heartbeat-timeout";
  /** Re-runs of an idempotent chunk whose worker died. */
  public static final String IDEMPOTENT_RETRIES = "multiproc.process.idempotent-retries";
  /** How long the parent may take to decode one batch of results. */
  public static final String RESULT_DECODE_TIMEOUT = "multiproc.process.result-decode-timeout";
  /** The workers' working directory. */
  public static final String WORKING_DIRECTORY = "multiproc.process.working-directory";
  /** The workers' class path, instead of the inferred one. */
  public static final String CLASS_PATH = "multiproc.process.class-path";
  /** The least bytes that make an input or result travel through shared memory. */
  public static final String LARGE_PAYLOAD_THRESHOLD = "multiproc.process.large-payload-threshold";
  /** The resident memory above which a worker is replaced after its current chunk. */
  public static final String MAX_WORKER_MEMORY = "multiproc.process.max-worker-memory";
  /** The Java installation whose {@code java} starts the workers. */
  public static final String JAVA_HOME = "multiproc.process.java-home";

  /** Every key, with its type and default as {@code docs/configuration.md} lists them. */
  public static final List<ConfigKey> KEYS = List.of(
      new ConfigKey(JVM_ARGS, "JVM arguments, separated by blanks", "none", List.of("multiproc.process.jvmArgs")),
      new ConfigKey(MAX_TASKS_PER_WORKER, "whole number >= 1", "unlimited"),
      new ConfigKey(START_TIMEOUT, "duration", "30s"),
      new ConfigKey(OUTPUT, "inherit, log or discard", "inherit"),
      new ConfigKey(AOT_CACHE, "boolean", "true"),
      new ConfigKey(TASK_TIMEOUT_GRACE, "duration", "1s"),
      new ConfigKey(HEARTBEAT_INTERVAL, "duration", "1s"),
      new ConfigKey(HEARTBEAT_TIMEOUT, "duration", "10s"),
      new ConfigKey(IDEMPOTENT_RETRIES, "whole number >= 0", "2"),
      new ConfigKey(RESULT_DECODE_TIMEOUT, "duration", "60s"),
      new ConfigKey(WORKING_DIRECTORY, "path", "this JVM's working directory"),
      new ConfigKey(CLASS_PATH, "paths, separated by the path separator", "inferred"),
      new ConfigKey(JAVA_HOME, "path", "this JVM's java.home"),
      new ConfigKey(LARGE_PAYLOAD_THRESHOLD, "size in bytes (512k, 64m, 2g)", "1m"),
      new ConfigKey(MAX_WORKER_MEMORY, "size in bytes (512k, 64m, 2g)", "unlimited"));

  private static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  private ProcessPoolProperties() {}

  /**
   * Reads the keys into a builder; the builder checks each value as its setter does.
   *
   * @param config the parsed configuration ({@code multiproc.workers} sets the workers)
   * @return a builder holding every key given
   * @throws IllegalArgumentException naming the key and value if one is malformed
   */
  public static ProcessPool.Builder toBuilder(PoolConfig config) {
    ProcessPool.Builder b = ProcessPool.builder().workers(config.workersOrDefault());
    List<String> jvmArgs = config.list(JVM_ARGS, "\\s+");
    if (!jvmArgs.isEmpty()) {
      b.jvmArgs(jvmArgs.toArray(String[]::new));
    }
    config.wholeNumber(MAX_TASKS_PER_WORKER, 1).ifPresent(b::maxTasksPerWorker);
    config.byteSize(LARGE_PAYLOAD_THRESHOLD, 1).ifPresent(b::largePayloadThreshold);
    config.byteSize(MAX_WORKER_MEMORY, 1).ifPresent(b::maxWorkerMemory);
    config.duration(START_TIMEOUT).ifPresent(d -> b.startTimeout(positive(START_TIMEOUT, d)));
    config.oneOf(OUTPUT, WorkerOutput.class).ifPresent(b::output);
    config.bool(AOT_CACHE).ifPresent(b::aotCache);
    config.duration(TASK_TIMEOUT_GRACE).ifPresent(b::taskTimeoutGrace);
    Optional<Duration> interval = config.duration(HEARTBEAT_INTERVAL);
    Optional<Duration> timeout = config.duration(HEARTBEAT_TIMEOUT);
    if (interval.isPresent() || timeout.isPresent()) {
      Duration i = positive(HEARTBEAT_INTERVAL, interval.orElse(DEFAULT_HEARTBEAT_INTERVAL));
      Duration t = timeout.orElse(DEFAULT_HEARTBEAT_TIMEOUT);
      if (t.compareTo(i) <= 0) {
        throw new IllegalArgumentException(HEARTBEAT_TIMEOUT + " must be longer than " + HEARTBEAT_INTERVAL + ": "
            + HEARTBEAT_INTERVAL + "=" + i + ", " + HEARTBEAT_TIMEOUT + "=" + t);
      }
      b.heartbeat(i, t);
    }
    config.wholeNumber(IDEMPOTENT_RETRIES, 0).ifPresent(n -> b.idempotentRetries((int) Math.min(n, Integer.MAX_VALUE)));
    config.duration(RESULT_DECODE_TIMEOUT).ifPresent(d -> b.resultDecodeTimeout(positive(RESULT_DECODE_TIMEOUT, d)));
    config.string(WORKING_DIRECTORY).map(Path::of).ifPresent(b::workingDirectory);
    List<Path> classPath = config.paths(CLASS_PATH);
    if (!classPath.isEmpty()) {
      b.classPath(classPath);
    }
    config.string(JAVA_HOME).ifPresent(home -> {
      try {
        b.javaHome(Path.of(home));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(JAVA_HOME + ": " + e.getMessage(), e);
      }
    });
    return b;
  }

  private static Duration positive(String key, Duration d) {
    if (d.isZero()) {
      throw new IllegalArgumentException(key + " must be longer than zero: " + key + "=" + d);
    }
    return d;
  }
}
