package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK AOT cache (JEP 483/514) for worker JVMs, built automatically and kept per class path.
 *
 * <p>The cache file is named by a SHA-256 of everything it depends on: the JDK ({@code java.home},
 * {@code java.vm.version}), the worker command line without the parent pid, and every class-path
 * entry's path, size and modification time. So a changed jar or JVM option selects another file:
 * the cache is invalidated by construction. Files live in {@code $XDG_CACHE_HOME/multiproc/aot}
 * (default {@code ~/.cache/multiproc/aot}).
 *
 * <p>When no cache exists, {@link #train} runs one training worker: a real worker JVM with
 * {@code -XX:AOTCacheOutput}, driven through a short session by the pool ({@link TrainingSession}),
 * so the cache holds exactly what a worker loads. It is written to a temporary file, renamed into
 * place when complete; workers started meanwhile run without it. A failed training
 * leaves a {@code .failed} marker so it is not retried for that key. The JDK supports only JAR
 * files on an AOT class path, so a class path holding a directory (directly or through a jar's
 * {@code Class-Path}) gets no cache.
 *
 * <p>The directory is kept small: each cache is ~16 MB, and every rebuilt jar makes a new key. A
 * pool marks the cache it uses as recently used (its modification time, at most once an hour);
 * after each training the directory is pruned ({@link #prune}): caches unused for
 * {@value #MAX_IDLE_DAYS} days go, and beyond the {@value #MAX_CACHES} most recently used ones the
 * rest go too, once idle for an hour (a worker about to start with a cache keeps it). A cache's
 * log and failure marker go with it; a failure marker expires the same way, so a training that
 * failed is retried after {@value #MAX_IDLE_DAYS} days.
 *
 * <p>Thread-safe: all state is in the file system; concurrent trainers race benignly (atomic rename).
 */
final class AotCache {

  private static final Logger LOG = LoggerFactory.getLogger(AotCache.class);

  /** How many caches the directory keeps, most recently used first. */
  static final int MAX_CACHES = 8;
  /** A cache unused this long is deleted whatever the count. */
  static final int MAX_IDLE_DAYS = 30;
  private static final Duration RECENT = Duration.ofHours(1);
  private static final String PREFIX = "worker-";

  private final Path file;
  private final Path failedMarker;
  private final boolean usable;

  private AotCache(Path file, boolean usable) {
    this.file = file;
    this.failedMarker = file.resolveSibling(file.getFileName() + ".failed");
    this.usable = usable;
  }

  /**
   * Returns the cache for a command, or empty when this JVM or class path cannot have one.
   *
   * @param command the worker command
   * @return the cache
   */
  static Optional<AotCache> forCommand(WorkerCommand command) {
    if (Runtime.version().feature() < 25 || command.modulePath() != null || command.classPath().isEmpty()) {
      return Optional.empty();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n"
          + String.join("\u0000", command.commandLine(0, List.of())) + "\n").getBytes(StandardCharsets.UTF_8));
      for (String entry : command.classPath().split(File.pathSeparator)) {
        Path p = Path.of(entry);
        if (!entry.endsWith(".jar")) {
          return Optional.empty();
        }
        BasicFileAttributes jar = Files.readAttributes(p, BasicFileAttributes.class); // one stat per jar
        if (!jar.isRegularFile()) {
          return Optional.empty();
        }
        String version = entry + "|" + jar.size() + "|" + jar.lastModifiedTime().toMillis() + "\n";
        if (hasDirectoryOnManifestClassPath(p, version)) {
          return Optional.empty();
        }
        sha.update(version.getBytes(StandardCharsets.UTF_8));
      }
      String key = HexFormat.of().formatHex(sha.digest(), 0, 16);
      return Optional.of(new AotCache(directory().resolve(PREFIX + key + ".aot"), true));
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      LOG.debug("no AOT cache for the workers: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Whether a jar's manifest names a directory, by jar path, size and time: reading a manifest opens the jar. */
  private static final Map<String, Boolean> DIRECTORY_ON_MANIFEST = new ConcurrentHashMap<>();

  private static boolean hasDirectoryOnManifestClassPath(Path jar, String version) throws IOException {
    Boolean known = DIRECTORY_ON_MANIFEST.get(version);
    if (known != null) {
      return known;
    }
    boolean found = readManifestForDirectory(jar);
    DIRECTORY_ON_MANIFEST.put(version, found);
    return found;
  }

  private static boolean readManifestForDirectory(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null || cp.isBlank()) {
        return false;
      }
      for (String e : cp.trim().split("\\s+")) {
        if (e.endsWith("/")) {
          return true;
        }
      }
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
    if (!usable || !Files.isRegularFile(file)) {
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
      LOG.debug("cannot mark the AOT cache {} as used: {}", cache, e.toString());
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
      LOG.debug("cannot prune the AOT cache directory {}: {}", dir, e.toString());
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
        LOG.debug("AOT cache {} deleted: {}", newestFirst.get(i), idle ? "unused for " + MAX_IDLE_DAYS + " days"
            : "more than " + MAX_CACHES + " caches");
      }
    }
  }

  /** @return whether a training run should be started */
  boolean needsTraining() {
    return usable && !Files.exists(file) && !Files.exists(failedMarker);
  }

  /**
   * Runs the training worker, plays its session ({@link TrainingSession}) and waits for it to
   * write the cache (call on a background thread). The worker is killed past the deadline.
   *
   * @param command the worker command
   * @param codec the pool's codec
   * @param deadline how long the training may take before it is killed
   * @param onStart told of the training process once it runs, so that the pool can kill it on close
   */
  void train(WorkerCommand command, Codec codec, Duration deadline, Consumer<Process> onStart) {
    Path tmp = null;
    Process p = null;
    try (WorkerPipes pipes = WorkerPipes.create()) {
      Files.createDirectories(file.getParent());
      tmp = file.resolveSibling("training-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".aot");
      Path log = file.resolveSibling(file.getFileName() + ".log");
      // the worker's own process builder: the user's environment and working directory too
      p = command.processBuilder(ProcessHandle.current().pid(), List.of("-XX:AOTCacheOutput=" + tmp), pipes)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      onStart.accept(p);
      Process training = p;
      training.onExit().thenRun(pipes::close); // a worker that dies before connecting: the session reads EOF
      AtomicBoolean timedOut = new AtomicBoolean(); // the one deadline: kill, then the session reads EOF
      CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
        if (training.isAlive()) {
          timedOut.set(true);
          training.destroyForcibly();
        }
      });
      try {
        TrainingSession.play(pipes, codec);
      } catch (IOException e) {
        LOG.debug("AOT training session for the workers broke off: {}", e.toString());
      }
      p.waitFor();
      if (timedOut.get()) {
        LOG.debug("AOT training for the workers took longer than {}; killed, retried by a later pool", deadline);
        return; // slow, not broken: no failure marker
      }
      if (p.exitValue() == 0 && Files.isRegularFile(tmp)) {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.debug("AOT cache for the workers written to {}", file);
      } else {
        Files.writeString(failedMarker, "training exited with " + p.exitValue() + "\n");
        LOG.debug("AOT training for the workers failed (exit {}); workers run without a cache", p.exitValue());
      }
    } catch (IOException e) {
      LOG.debug("AOT training for the workers failed: {}", e.toString());
    } catch (InterruptedException e) {
      if (p != null) {
        p.destroyForcibly();
      }
      Thread.currentThread().interrupt(); // the pool is closing
    } finally {
      deleteQuietly(tmp);
      prune(file.getParent(), Instant.now());
    }
  }

  private static void deleteQuietly(Path path) {
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
}
