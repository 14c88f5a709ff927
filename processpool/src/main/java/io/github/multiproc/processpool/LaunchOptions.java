package io.github.multiproc.processpool;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.processpool.internal.launch.ClassPathResolver;
import io.github.multiproc.processpool.internal.launch.JavaExecutable;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import io.github.multiproc.processpool.internal.parent.WorkerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a worker JVM is launched — {@code java} executable, class path, JVM arguments, environment,
 * working directory, output, start time-out and codec — shared by {@link ProcessPool.Builder} and {@link JvmProcess.Builder}, which
 * delegate their setters here. Not thread-safe, like the builders; each setter checks its argument.
 */
final class LaunchOptions {

  final List<String> jvmArgs = new ArrayList<>();
  final Map<String, String> environment = new LinkedHashMap<>();
  Path workingDirectory;
  WorkerOutput output = WorkerOutput.INHERIT;
  Duration startTimeout = Duration.ofSeconds(30);
  private Codec codec; // null: JdkCodec, created on first use (not on the way to the first worker's start)
  List<Path> classPath; // null: inferred from the running JVM when the command is built
  String java; // null: this JVM's java

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

  /** @return the codec set, or the default {@link JdkCodec}, created now */
  Codec codec() {
    if (codec == null) {
      codec = JdkCodec.create();
    }
    return codec;
  }

  /** @return the codec's class name, for the workers' command line; creates no codec */
  String codecClassName() {
    return codec == null ? JdkCodec.class.getName() : codec.getClass().getName();
  }

  void classPath(List<Path> entries) {
    if (entries == null || entries.isEmpty() || entries.contains(null)) {
      throw new IllegalArgumentException("classPath needs at least one entry and no null: classPath=" + entries);
    }
    classPath = List.copyOf(entries);
  }

  void javaHome(Path home) {
    java = JavaExecutable.inHome(Objects.requireNonNull(home, "javaHome"));
  }

  /**
   * Returns the worker's command line: the {@code java} and class path given, or this JVM's
   * {@code java} and a class path inferred from the calling code ({@link ClassPathResolver}).
   * Call it on the caller's thread: inference looks at the caller's stack and context loader.
   *
   * @param anchors classes the workers must load besides the caller's
   * @return the command
   */
  WorkerCommand command(List<Class<?>> anchors) {
    return command(anchors, jvmArgs);
  }

  /**
   * Returns the command line of a pool's workers: the pool's sizing defaults
   * ({@link WorkerCommand#poolWorkerSizing}), then the user's JVM arguments.
   * Call it on the caller's thread, like {@link #command(List)}.
   *
   * @param workers the pool's number of workers
   * @param anchors classes the workers must load besides the caller's
   * @return the command
   */
  WorkerCommand poolCommand(int workers, List<Class<?>> anchors) {
    List<String> args = new ArrayList<>(WorkerCommand.poolWorkerSizing(workers, jvmArgs));
    args.addAll(jvmArgs);
    return command(anchors, args);
  }

  private WorkerCommand command(List<Class<?>> anchors, List<String> args) {
    WorkerClassPath paths = classPath != null ? WorkerClassPath.explicit(classPath) : ClassPathResolver.infer(anchors);
    return new WorkerCommand(java != null ? java : JavaExecutable.current(), paths, args, environment,
        workingDirectory, codecClassName());
  }

  @Override
  public String toString() {
    return "java=" + (java == null ? "this JVM's" : java) + ", classPath=" + (classPath == null ? "inferred" : classPath)
        + ", jvmArgs=" + jvmArgs + ", environment=" + environment.keySet() + ", workingDirectory="
        + (workingDirectory == null ? "this JVM's" : workingDirectory) + ", output=" + output + ", startTimeout="
        + startTimeout + ", codec=" + codecClassName();
  }
}
