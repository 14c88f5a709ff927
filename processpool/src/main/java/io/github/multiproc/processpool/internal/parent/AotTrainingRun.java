package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training of an {@link AotCache}, the trainer JVM's work ({@link AotTrainerMain}): runs the
 * training worker on the class path's jars with {@code -XX:AOTCacheOutput}, plays its session
 * ({@link AotTrainingSession}), kills it once it makes no progress, checks that a worker with the
 * whole class path accepts the cache, and renames the cache into place — or leaves a failure
 * marker. The directory is pruned ({@link AotCachePruning}) however the training ends. Stateless.
 */
final class AotTrainingRun {

  /** A training worker is killed after this many deadlines however it progresses. */
  static final int MAX_TRAINING_DEADLINES = 20;

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AotTrainingRun.class);
  }

  private AotTrainingRun() {}

  /** The workers' class path as the trainer gets it: one string of absolute entries. */
  static WorkerClassPath classPathOf(String classPath) {
    return WorkerClassPath.explicit(Arrays.stream(classPath.split(File.pathSeparator, -1)).map(Path::of).toList());
  }

  /**
   * Runs the training worker, plays its session and waits for it to write the cache. The worker
   * is killed once it made no progress for the deadline.
   *
   * @param cache the cache to write
   * @param worker the workers' command
   * @param codec the pool's codec
   * @param deadline how long the training worker may go without any CPU time before it is killed
   */
  static void train(AotCache cache, WorkerCommand worker, Codec codec, Duration deadline) {
    Path file = cache.file();
    String trainingClassPath = cache.trainingClassPath();
    WorkerCommand training = trainingClassPath.equals(worker.classPath()) ? worker
        : new WorkerCommand(worker.java(), classPathOf(trainingClassPath), worker.jvmArgs(), worker.environment(),
            worker.workingDirectory(), worker.codecClass());
    Path tmp = null;
    Process p = null;
    try (WorkerPipes pipes = WorkerPipes.create()) {
      Files.createDirectories(file.getParent());
      tmp = file.resolveSibling("training-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".aot");
      Path log = cache.log();
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
        Files.writeString(cache.failedMarker, "training exited with " + p.exitValue() + "\n");
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
      AotCache.deleteQuietly(tmp);
      AotCachePruning.prune(file.getParent(), Instant.now());
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
}
