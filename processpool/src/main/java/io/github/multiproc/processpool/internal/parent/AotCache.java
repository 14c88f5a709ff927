package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.processpool.internal.child.WorkerMain;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK AOT cache (JEP 483/514/515) for worker JVMs, built automatically and kept per class path.
 *
 * <p>The cache file is named by a 128-bit hash of everything it depends on: the JDK
 * ({@code java.home}, {@code java.vm.version}), the worker command line without the parent pid
 * (and without the per-pool sizing flags that do not change a cache, {@link #keyedCommandLine}),
 * and every class-path jar's path, size and modification time (a directory by its path). So a
 * changed jar or JVM option selects another file: the cache is invalidated by construction. The
 * hash is not a cryptographic one on purpose: the JVM validates a cache against its jars anyway,
 * and {@code MessageDigest} would initialize the security providers in the user's JVM on the way
 * to its first pool (~30 ms). Files live in {@code $XDG_CACHE_HOME/multiproc/aot} (default
 * {@code ~/.cache/multiproc/aot}).
 *
 * <p><b>Training never costs the user's run.</b> When no cache exists, {@link #train} starts a
 * detached trainer JVM ({@link AotTrainerMain}, at the lowest CPU priority with {@code nice} where there
 * is one) and returns at once: the pool's {@code close()} never waits for it, and it may outlive
 * the user's program. The trainer starts only once the program has exited or a short delay has
 * passed (a shell waits for that, so not even the trainer's JVM start runs beside the user's first
 * second), then runs one training worker: a real worker JVM with {@code -XX:AOTCacheOutput}, driven by a
 * representative session ({@link AotTrainingSession}: several calls of chunks as a 100k-item map sends them,
 * strings, longs, doubles, generic items, a failing item), so the cache holds what a worker loads
 * and the method profiles (JEP 515) of its hot loops. The cache is written to a temporary file and
 * renamed into place when complete; pools started meanwhile run without it. A failed training
 * leaves a {@code .failed} marker so it is not retried for that key; a lock file keeps two trainers
 * off one key.
 *
 * <p><b>Class paths with directories</b> (an IDE, {@code target/classes}): the JDK archives
 * classes from jar files only, and a training JVM whose class path holds a non-empty directory
 * refuses to write a cache. So the training worker runs on the class path's jars alone (in their
 * order), which must hold the library (this module, ipc, core, SLF4J) and the codec; the workers
 * then start with the whole class path and the cache. The cache holds only classes the training
 * loaded from those jars; a directory that holds classes of the library itself
 * ({@code io/github/multiproc}, {@code org/slf4j}) would be shadowed by the cached ones, so such a
 * class path gets no cache. After training, the trainer checks that a worker's JVM accepts the
 * cache with the whole class path ({@code -XX:AOTMode=on ... -version}); if not, no cache.
 *
 * <p>The directory is kept small: each cache is ~16 MB, and every rebuilt jar makes a new key. A
 * pool marks the cache it uses as recently used (its modification time, at most once an hour);
 * after each training the directory is pruned ({@link #prune}): caches unused for
 * {@value #MAX_IDLE_DAYS} days go, and beyond the {@value #MAX_CACHES} most recently used ones the
 * rest go too, once idle for an hour (a worker about to start with a cache keeps it). A cache's
 * log and failure marker go with it; a failure marker expires the same way, so a training that
 * failed is retried after {@value #MAX_IDLE_DAYS} days.
 *
 * <p>Thread-safe: all state is in the file system; concurrent trainers race benignly (a lock file,
 * then an atomic rename).
 */
final class AotCache {

  /** How many caches the directory keeps, most recently used first. */
  static final int MAX_CACHES = 8;
  /** A cache unused this long is deleted whatever the count. */
  static final int MAX_IDLE_DAYS = 30;
  private static final Duration RECENT = Duration.ofHours(1);
  private static final String PREFIX = "worker-";
  /** The trainer starts its training worker once the user's program exited, or after this long. */
  static final long TRAINER_DELAY_MILLIS = 1_500;
  /** The trainer JVM only drives the training worker: a small heap, no C2, no shared-memory perf data. */
  private static final List<String> TRAINER_JVM_ARGS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-Xmx64m", "-XX:-UsePerfData");
  /** A training worker is killed after this many deadlines however it progresses. */
  static final int MAX_TRAINING_DEADLINES = 20;
  /** Keys this JVM has started a trainer for: a second pool on the same class path starts none. */
  private static final Set<Path> STARTED = ConcurrentHashMap.newKeySet();

  private final Path file;
  final Path failedMarker;
  final Path lockFile;
  /** The class path of the training worker: the jars of the workers' class path, in order. */
  private final String trainingClassPath;

  AotCache(Path file, String trainingClassPath) {
    this.file = file;
    this.failedMarker = file.resolveSibling(file.getFileName() + ".failed");
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    this.trainingClassPath = trainingClassPath;
  }

  /**
   * Returns the cache for a command, or empty when this JVM or class path cannot have one. Cheap
   * on purpose (it runs before the first worker starts): a hash and one {@code stat} per class-path
   * entry; no jar is opened.
   *
   * @param command the worker command
   * @return the cache
   */
  static Optional<AotCache> forCommand(WorkerCommand command) {
    if (Runtime.version().feature() < 25 || command.modulePath() != null || command.classPath().isEmpty()
        || command.paths().bootJar().isPresent()) { // Boot's loader defines its classes: no cache holds them
      return Optional.empty();
    }
    try {
      Hash128 key = new Hash128();
      key.add(System.getProperty("java.home")).add(System.getProperty("java.vm.version"))
          .add(String.join("\u0000", keyedCommandLine(command)));
      List<String> jars = new ArrayList<>();
      boolean directories = false;
      for (String entry : command.classPath().split(File.pathSeparator, -1)) {
        Path p = Path.of(entry.isEmpty() ? "." : entry);
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class); // one stat per entry
        if (a.isRegularFile() && entry.endsWith(".jar")) {
          jars.add(entry);
          key.add(entry + "|" + a.size() + "|" + a.lastModifiedTime().toMillis());
        } else if (a.isDirectory()) {
          if (shadowsLibrary(p)) {
            Log.LOG.debug("no AOT cache for the workers: class-path directory {} holds library classes", p);
            return Optional.empty();
          }
          directories = true;
          key.add(entry + "|directory");
        } else {
          return Optional.empty();
        }
      }
      if (directories && !libraryInJars(jars, command.codecClass())) {
        Log.LOG.debug("no AOT cache for the workers: the library or the codec is not in a class-path jar");
        return Optional.empty();
      }
      return Optional.of(new AotCache(directory().resolve(PREFIX + key.hex() + ".aot"),
          String.join(File.pathSeparator, jars)));
    } catch (IOException | RuntimeException e) {
      Log.LOG.debug("no AOT cache for the workers: {}", e.toString());
      return Optional.empty();
    }
  }

  /**
   * The worker command line as the key sees it: without the flags that size a worker by the pool's
   * number of workers and do not change what a cache holds or whether a JVM accepts it (the
   * processor count, the heap's share of RAM), so pools of 1 and of 8 workers share one cache.
   */
  static List<String> keyedCommandLine(WorkerCommand command) {
    return command.commandLine(0, List.of()).stream()
        .filter(a -> !a.startsWith("-XX:ActiveProcessorCount=") && !a.startsWith("-XX:MaxRAMPercentage="))
        .toList();
  }

  /** Whether a class-path directory holds classes the cache would hold: the library's, or SLF4J's. */
  private static boolean shadowsLibrary(Path dir) {
    return Files.exists(dir.resolve("io/github/multiproc")) || Files.exists(dir.resolve("org/slf4j"));
  }

  /** Whether the worker's own classes and the codec come from jars of the class path. */
  private static boolean libraryInJars(List<String> jars, String codecClass) {
    List<Path> inJars = jars.stream().map(j -> Path.of(j).toAbsolutePath().normalize()).toList();
    try {
      List<Class<?>> needed = new ArrayList<>(List.of(WorkerMain.class, Frame.class, Task.class, Logger.class));
      needed.add(Class.forName(codecClass, false, AotCache.class.getClassLoader()));
      for (Class<?> c : needed) {
        var source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null
            || !inJars.contains(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize())) {
          return false;
        }
      }
      return true;
    } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  private static Path directory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("multiproc").resolve("aot");
  }

  /** @return the flags for a worker: {@code -XX:AOTCache=...} when the cache is ready, else none */
  List<String> workerArgs() {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    if (!markedUsed) {
      markedUsed = true; // once per pool: a stat, and a write at most once an hour
      markUsed(file, Instant.now());
    }
    return List.of("-XX:AOTCache=" + file);
  }

  private volatile boolean markedUsed;

  /** Sets a cache's modification time to now unless it is recent already: what {@link #prune} sorts by. */
  static void markUsed(Path cache, Instant now) {
    try {
      if (Files.getLastModifiedTime(cache).toInstant().isBefore(now.minus(RECENT))) {
        Files.setLastModifiedTime(cache, FileTime.from(now));
      }
    } catch (IOException e) {
      Log.LOG.debug("cannot mark the AOT cache {} as used: {}", cache, e.toString());
    }
  }

  /**
   * Deletes caches (with their logs and failure markers) unused for {@link #MAX_IDLE_DAYS} days,
   * those beyond the {@link #MAX_CACHES} most recently used that have been idle for an hour, and
   * training files left by a parent that died over a day ago.
   *
   * @param dir the cache directory
   * @param now the current time
   */
  static void prune(Path dir, Instant now) {
    Map<String, List<Path>> byKey = new HashMap<>();
    Map<String, Instant> lastUse = new HashMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        Instant modified = Files.getLastModifiedTime(f).toInstant();
        if (name.startsWith("training-") && modified.isBefore(now.minus(Duration.ofDays(1)))) {
          deleteQuietly(f);
        } else if (name.startsWith(PREFIX) && name.contains(".aot")) {
          String key = name.substring(0, name.indexOf(".aot"));
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
          lastUse.merge(key, modified, (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      Log.LOG.debug("cannot prune the AOT cache directory {}: {}", dir, e.toString());
      return;
    }
    List<String> newestFirst = new ArrayList<>(byKey.keySet());
    newestFirst.sort(Comparator.comparing(lastUse::get).reversed());
    for (int i = 0; i < newestFirst.size(); i++) {
      Instant used = lastUse.get(newestFirst.get(i));
      boolean idle = used.isBefore(now.minus(Duration.ofDays(MAX_IDLE_DAYS)));
      boolean surplus = i >= MAX_CACHES && used.isBefore(now.minus(RECENT));
      if (idle || surplus) {
        byKey.get(newestFirst.get(i)).forEach(AotCache::deleteQuietly);
        Log.LOG.debug("AOT cache {} deleted: {}", newestFirst.get(i), idle ? "unused for " + MAX_IDLE_DAYS + " days"
            : "more than " + MAX_CACHES + " caches");
      }
    }
  }

  /** @return whether a training run should be started: no cache, no failure, none started by this JVM */
  boolean needsTraining() {
    return !Files.exists(file) && !Files.exists(failedMarker) && !STARTED.contains(file);
  }

  /**
   * Starts the training in the background and returns at once: a detached trainer JVM
   * ({@link AotTrainerMain}) at the lowest CPU priority, which outlives this pool and this JVM if need
   * be, so that neither the user's maps nor {@code close()} ever wait for it.
   *
   * @param command the worker command
   * @param codec the pool's codec (the trainer recreates it from its class name, as workers do)
   * @param deadline how long the training worker may go without progress before it is killed
   * @param onStart not told of the trainer: it is not the pool's to kill
   */
  void train(WorkerCommand command, Codec codec, Duration deadline, Consumer<Process> onStart) {
    if (!STARTED.add(file)) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      List<String> cmd = new ArrayList<>();
      cmd.addAll(detachedAfterProgramOrDelay());
      cmd.addAll(lowestPriority());
      cmd.add(command.java());
      cmd.addAll(TRAINER_JVM_ARGS);
      cmd.add("--enable-native-access=ALL-UNNAMED"); // its FIFOs, as a pool's
      cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
      cmd.add("-cp");
      cmd.add(command.classPath()); // the workers' class path holds this class: java.class.path may not (a child loader)
      cmd.add(AotTrainerMain.class.getName());
      cmd.addAll(List.of(file.toString(), Long.toString(deadline.toMillis()), Long.toString(ProcessHandle.current().pid()),
          command.java(), command.codecClass(),
          command.workingDirectory() == null ? "" : command.workingDirectory().toString(),
          command.classPath(), trainingClassPath));
      cmd.addAll(command.jvmArgs());
      Path log = file.resolveSibling(file.getFileName() + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(command.environment()); // the training worker inherits them, as workers get them
      pb.start();
      Log.LOG.debug("AOT training for the workers started in the background for {}", file);
    } catch (IOException | RuntimeException e) {
      Log.LOG.debug("AOT training for the workers could not start: {}", e.toString());
    }
  }

  private static List<String> lowestPriority() {
    for (String nice : List.of("/usr/bin/nice", "/bin/nice")) {
      if (Files.isExecutable(Path.of(nice))) {
        return List.of(nice, "-n", "19");
      }
    }
    return List.of();
  }

  /**
   * A POSIX shell that starts the trainer in the background and exits at once, so that this JVM
   * holds no live child for it: a JDK process-reaper thread blocked in {@code waitpid} for a live
   * child is a thread in native code, and the JVM's exit waits up to 300 ms for such threads
   * (measured: a 1-map program exited 305 ms after {@code DestroyJavaVM} with the trainer as its
   * child, {@code -Xlog:os+thread}). The background job waits until this JVM has exited or
   * {@link #TRAINER_DELAY_MILLIS} have passed, then execs the trainer: so not even the trainer
   * JVM's own start-up runs beside the user's first second. Without {@code /bin/sh} the trainer is
   * started directly (it waits itself).
   */
  private static List<String> detachedAfterProgramOrDelay() {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      return List.of();
    }
    long ticks = TRAINER_DELAY_MILLIS / 100;
    return List.of("/bin/sh", "-c", "p=$1; shift; ( i=0; while [ $i -lt " + ticks
        + " ] && kill -0 \"$p\" 2>/dev/null; do sleep 0.1; i=$((i+1)); done; exec \"$@\" ) &",
        "multiproc-aot-trainer", Long.toString(ProcessHandle.current().pid()));
  }

  /** The workers' class path as the trainer gets it: one string of absolute entries. */
  static WorkerClassPath classPathOf(String classPath) {
    return WorkerClassPath.explicit(Arrays.stream(classPath.split(File.pathSeparator, -1)).map(Path::of).toList());
  }

  private static String nullDevice() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";
  }

  /**
   * Runs the training worker, plays its session ({@link AotTrainingSession}) and waits for it to write the
   * cache: the trainer JVM's work. The worker is killed once it made no progress for the deadline.
   *
   * @param worker the workers' command
   * @param codec the pool's codec
   * @param deadline how long the training worker may go without any CPU time before it is killed
   */
  void trainNow(WorkerCommand worker, Codec codec, Duration deadline) {
    WorkerCommand training = trainingClassPath.equals(worker.classPath()) ? worker
        : new WorkerCommand(worker.java(), classPathOf(trainingClassPath), worker.jvmArgs(), worker.environment(),
            worker.workingDirectory(), worker.codecClass());
    Path tmp = null;
    Process p = null;
    try (WorkerPipes pipes = WorkerPipes.create()) {
      Files.createDirectories(file.getParent());
      tmp = file.resolveSibling("training-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".aot");
      Path log = file.resolveSibling(file.getFileName() + ".log");
      p = training.processBuilder(ProcessHandle.current().pid(), List.of("-XX:AOTCacheOutput=" + tmp,
          "-D" + Protocol.AOT_TRAINING_PROPERTY + "=true"), pipes)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      Process trainingWorker = p;
      trainingWorker.onExit().thenRun(pipes::close); // a worker that dies before connecting: the session reads EOF
      AtomicBoolean timedOut = new AtomicBoolean(); // the one deadline: kill, then the session reads EOF
      watchProgress(trainingWorker, deadline, timedOut);
      try {
        AotTrainingSession.play(pipes, codec);
      } catch (IOException e) {
        Log.LOG.debug("AOT training session for the workers broke off: {}", e.toString());
      }
      p.waitFor();
      if (timedOut.get()) {
        Log.LOG.debug("AOT training for the workers took longer than {}; killed, retried by a later pool", deadline);
        return; // slow, not broken: no failure marker
      }
      if (p.exitValue() == 0 && Files.isRegularFile(tmp) && (training == worker || accepted(worker, tmp, log))) {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Log.LOG.debug("AOT cache for the workers written to {}", file);
      } else {
        Files.writeString(failedMarker, "training exited with " + p.exitValue() + "\n");
        Log.LOG.debug("AOT training for the workers failed (exit {}); workers run without a cache", p.exitValue());
      }
    } catch (IOException e) {
      Log.LOG.debug("AOT training for the workers failed: {}", e.toString());
    } catch (InterruptedException e) {
      if (p != null) {
        p.destroyForcibly();
      }
      Thread.currentThread().interrupt();
    } finally {
      deleteQuietly(tmp);
      prune(file.getParent(), Instant.now());
    }
  }

  /**
   * Kills the training worker once it has made no progress (no CPU time) for {@code deadline}, or
   * after {@link #MAX_TRAINING_DEADLINES} deadlines in all. Progress rather than wall time: at the
   * lowest priority on a busy machine the training gets only the CPU others leave, so it may be
   * slow without being stuck.
   */
  private static void watchProgress(Process worker, Duration deadline, AtomicBoolean timedOut) {
    long start = System.nanoTime();
    Thread.ofPlatform().daemon().name("multiproc-aot-deadline").start(() -> {
      Duration lastCpu = Duration.ZERO;
      long lastProgress = System.nanoTime();
      while (worker.isAlive()) {
        try {
          Thread.sleep(Math.min(1_000, Math.max(1, deadline.toMillis() / 10)));
        } catch (InterruptedException e) {
          return;
        }
        Duration cpu = worker.info().totalCpuDuration().orElse(Duration.ZERO);
        long now = System.nanoTime();
        if (cpu.compareTo(lastCpu) > 0) {
          lastCpu = cpu;
          lastProgress = now;
        }
        if (now - lastProgress > deadline.toNanos() || now - start > deadline.toNanos() * MAX_TRAINING_DEADLINES) {
          timedOut.set(true);
          worker.destroyForcibly();
          return;
        }
      }
    });
  }

  /**
   * Whether a worker's JVM, with the whole class path (directories too), accepts a cache trained
   * on the class path's jars: the worker's flags and class path with {@code -XX:AOTMode=on}
   * (which fails instead of running without the cache), and {@code -version} for a main class.
   */
  private static boolean accepted(WorkerCommand worker, Path cache, Path log)
      throws IOException, InterruptedException {
    List<String> line = worker.commandLine(0, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"));
    int cp = line.indexOf("-cp");
    List<String> check = new ArrayList<>(line.subList(0, cp + 2));
    check.add("-version");
    ProcessBuilder pb = new ProcessBuilder(check).redirectErrorStream(true);
    pb.environment().putAll(worker.environment());
    if (worker.workingDirectory() != null) {
      pb.directory(worker.workingDirectory().toFile());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ok = p.waitFor() == 0 && !out.contains("[warning]") && !out.contains("[error]");
    Files.writeString(log, "check with the whole class path: " + (ok ? "accepted" : "refused") + "\n" + out,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return ok;
  }

  static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // a stale temp file is harmless
      }
    }
  }

  @Override
  public String toString() {
    return file.toString();
  }

  /** The logger, bound on first use: the pool's way to its first worker's start binds no logging. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AotCache.class);
  }
}
