package io.github.multiproc.processpool;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.processpool.internal.parent.WorkerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a worker JVM is launched — JVM arguments, environment, working directory, output, start
 * time-out and codec — shared by {@link ProcessPool.Builder} and {@link JvmProcess.Builder}, which
 * delegate their setters here. Not thread-safe, like the builders; each setter checks its argument.
 */
final class LaunchOptions {

  final List<String> jvmArgs = new ArrayList<>();
  final Map<String, String> environment = new LinkedHashMap<>();
  Path workingDirectory;
  WorkerOutput output = WorkerOutput.INHERIT;
  Duration startTimeout = Duration.ofSeconds(30);
  Codec codec = JdkCodec.create();

  void jvmArgs(String... args) {
    for (String a : args) {
      if (a == null || a.isBlank()) {
        throw new IllegalArgumentException("a JVM argument must not be blank: jvmArgs=" + List.of(args));
      }
    }
    jvmArgs.addAll(List.of(args));
  }

  void environment(String name, String value) {
    if (name == null || name.isEmpty() || name.contains("=") || value == null) {
      throw new IllegalArgumentException("environment name must be non-empty without '=' and value non-null: "
          + name + "=" + value);
    }
    environment.put(name, value);
  }

  void workingDirectory(Path directory) {
    workingDirectory = Objects.requireNonNull(directory, "directory");
  }

  void output(WorkerOutput output) {
    this.output = Objects.requireNonNull(output, "output");
  }

  void startTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: startTimeout=" + timeout);
    }
    startTimeout = timeout;
  }

  void codec(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** {@return the worker's command line: this JVM's java and class path plus these options} */
  WorkerCommand command() {
    return WorkerCommand.ofCurrentJvm(jvmArgs, environment, workingDirectory, codec.getClass().getName());
  }

  /**
   * Returns the command line of a pool's workers: the pool's sizing defaults
   * ({@link WorkerCommand#poolWorkerSizing}), then the user's JVM arguments.
   *
   * @param workers the pool's number of workers
   * @return the command
   */
  WorkerCommand command(int workers) {
    List<String> args = new ArrayList<>(WorkerCommand.poolWorkerSizing(workers, jvmArgs));
    args.addAll(jvmArgs);
    return WorkerCommand.ofCurrentJvm(args, environment, workingDirectory, codec.getClass().getName());
  }
}
