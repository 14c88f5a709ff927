package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the detached trainer JVM ({@link AotTrainerMain}) for an {@link AotCache} and returns at
 * once: at the lowest CPU priority ({@code nice}, where there is one), through a shell that
 * leaves this JVM no live child, with the trainer's output appended to the cache's log. The
 * trainer outlives this pool and this JVM if need be, so that neither the user's maps nor
 * {@code close()} ever wait for it. Stateless.
 */
final class AotTrainerLaunch {

  /** The trainer starts its training worker once the user's program exited, or after this long. */
  static final long TRAINER_DELAY_MILLIS = 1_500;
  /** The trainer JVM only drives the training worker: a small heap, no C2, no shared-memory perf data. */
  private static final List<String> TRAINER_JVM_ARGS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-Xmx64m", "-XX:-UsePerfData");

  private AotTrainerLaunch() {}

  /**
   * Starts the trainer; a failure to start is logged, never thrown (the workers run without a cache).
   *
   * @param cache the cache to train
   * @param command the worker command
   * @param codec the pool's codec (the trainer recreates it from its class name, as workers do)
   * @param deadline how long the training worker may go without progress before it is killed
   */
  static void start(AotCache cache, WorkerCommand command, Codec codec, Duration deadline) {
    Path file = cache.file();
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
          command.classPath(), cache.trainingClassPath()));
      cmd.addAll(command.jvmArgs());
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(cache.log().toFile()));
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

  private static String nullDevice() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";
  }

  /** The logger, bound on first use: the pool's way to its first worker's start binds no logging. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AotTrainerLaunch.class);
  }
}
