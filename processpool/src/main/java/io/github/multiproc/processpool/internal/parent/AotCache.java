package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.processpool.internal.child.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK AOT cache (JEP 483/514/515) for worker JVMs, built automatically and kept per class path.
 *
 * <p>The cache file is named by a 128-bit hash of everything it depends on: the JDK
 * ({@code java.home}, {@code java.vm.version}), the worker command line without the parent pid
 * (and without the per-pool sizing flags that do not change a cache, {@link #keyedCommandLine}),
 * and every class-path jar's path, size and modification time (a directory by its path, but the
 * temporary directory a source-file program is compiled into by what it is). So a
 * changed jar or JVM option selects another file: the cache is invalidated by construction. The
 * hash is not a cryptographic one on purpose: the JVM validates a cache against its jars anyway,
 * and {@code MessageDigest} would initialize the security providers in the user's JVM on the way
 * to its first pool (~30 ms). Files live in {@code $XDG_CACHE_HOME/multiproc/aot} (default
 * {@code ~/.cache/multiproc/aot}).
 *
 * <p><b>Training never costs the user's run.</b> When no cache exists, {@link #train} starts a
 * detached trainer JVM ({@link AotTrainerLaunch}, {@link AotTrainerMain}, at the lowest CPU priority with {@code nice} where there
 * is one) and returns at once: the pool's {@code close()} never waits for it, and it may outlive
 * the user's program. The trainer starts only once the program has exited or a short delay has
 * passed (a shell waits for that, so not even the trainer's JVM start runs beside the user's first
 * second), then runs one training worker ({@link AotTrainingRun}): a real worker JVM with {@code -XX:AOTCacheOutput}, driven by a
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
 * <p>The directory is kept small ({@link AotCachePruning}): a pool marks the cache it uses as
 * recently used, and after each training the least recently used caches beyond a few, and those
 * unused for {@value AotCachePruning#MAX_IDLE_DAYS} days, are deleted. A failure marker expires
 * the same way, so a training that failed is retried after
 * {@value AotCachePruning#MAX_IDLE_DAYS} days.
 *
 * <p>Thread-safe: all state is in the file system; concurrent trainers race benignly (a lock file,
 * then an atomic rename).
 */
final class AotCache {

  /** How every cache file's name starts. */
  static final String PREFIX = "worker-";
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
          key.add(sourceProgramAsToken(command, entry) + "|directory");
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
    List<String> keyed = new ArrayList<>(); // a loop, not a stream of lambdas: this runs before the first worker starts
    for (String arg : command.commandLine(0, List.of())) {
      if (!arg.startsWith("-XX:ActiveProcessorCount=") && !arg.startsWith("-XX:MaxRAMPercentage=")) {
        keyed.add(sourceProgramAsToken(command, arg));
      }
    }
    return List.copyOf(keyed);
  }

  /**
   * Writes the temporary directory a source-file program was compiled into ({@code java Main.java})
   * as a fixed token: it is named anew by every run, and keyed by its name each run would train a
   * cache of its own. The cache holds none of its classes (only jars' classes are archived), and the
   * directory comes last on the class path, after every jar the training saw.
   */
  private static String sourceProgramAsToken(WorkerCommand command, String text) {
    Optional<Path> dir = command.paths().compiledSourceProgram();
    return dir.isEmpty() ? text : text.replace(dir.get().toString(), "<program compiled from its source file>");
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
      AotCachePruning.markUsed(file, Instant.now());
    }
    return List.of("-XX:AOTCache=" + file);
  }

  private volatile boolean markedUsed;

  /** @return whether a training run should be started: no cache, no failure, none started by this JVM */
  boolean needsTraining() {
    return !Files.exists(file) && !Files.exists(failedMarker) && !STARTED.contains(file);
  }

  /**
   * Starts the training in the background, once per key in this JVM, and returns at once: a
   * detached trainer JVM ({@link AotTrainerLaunch}), which outlives this pool and this JVM if need
   * be, so that neither the user's maps nor {@code close()} ever wait for it.
   *
   * @param command the worker command
   * @param codec the pool's codec (the trainer recreates it from its class name, as workers do)
   * @param deadline how long the training worker may go without progress before it is killed
   * @param onStart not told of the trainer: it is not the pool's to kill
   */
  void train(WorkerCommand command, Codec codec, Duration deadline, Consumer<Process> onStart) {
    if (STARTED.add(file)) {
      AotTrainerLaunch.start(this, command, codec, deadline);
    }
  }

  /** @return the cache file, present once a training completed */
  Path file() {
    return file;
  }

  /** @return the class path of the training worker: the jars of the workers' class path, in order */
  String trainingClassPath() {
    return trainingClassPath;
  }

  /** @return the log of the cache's trainings */
  Path log() {
    return file.resolveSibling(file.getFileName() + ".log");
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
