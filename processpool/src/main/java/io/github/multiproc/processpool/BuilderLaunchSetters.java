package io.github.multiproc.processpool;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The options of {@link ProcessPool.Builder} that say how a worker JVM is launched: its
 * {@code java}, class path, JVM arguments, environment, working directory, output, start time-out,
 * codec and AOT cache. {@code ProcessPool.Builder} is the one subclass; users name it, and its
 * documentation shows these setters as its own. The values are kept in {@link LaunchOptions},
 * which {@link JvmProcess.Builder} shares, and in {@link #aotCache(boolean)}.
 *
 * <p>Not thread-safe, like any builder; each setter checks its argument at once.
 */
abstract sealed class BuilderLaunchSetters permits BuilderPoolSetters {

  final LaunchOptions launch = new LaunchOptions();
  boolean aotCache = true;

  BuilderLaunchSetters() {}

  /** @return this builder, as the type users name */
  final ProcessPool.Builder self() {
    return (ProcessPool.Builder) this;
  }

  /**
   * Adds JVM arguments for the workers, such as {@code -Xmx512m} or {@code -Dkey=value}.
   * Without them a worker is sized for its share of the machine, not for all of it: the serial
   * collector when each worker has at most 2 cores, a 16 MB initial heap (it grows as needed),
   * together at most the quarter of RAM one JVM takes by default
   * ({@code -XX:MaxRAMPercentage=25/workers}), and {@code -XX:ActiveProcessorCount} = cores /
   * workers. Setting any collector, heap size or processor count here replaces that default.
   *
   * @param args the arguments, in order
   * @return this builder
   */
  public ProcessPool.Builder jvmArgs(String... args) {
    launch.jvmArgs(args);
    return self();
  }

  /**
   * Adds an environment variable for the workers (they inherit this JVM's environment).
   *
   * @param name the name
   * @param value the value
   * @return this builder
   */
  public ProcessPool.Builder environment(String name, String value) {
    launch.environment(name, value);
    return self();
  }

  /**
   * Sets the workers' working directory.
   *
   * @param directory the workers' working directory (default: this JVM's)
   * @return this builder
   */
  public ProcessPool.Builder workingDirectory(Path directory) {
    launch.workingDirectory(directory);
    return self();
  }

  /**
   * Sets the workers' class path, for what the pool cannot work out by itself: by default it
   * uses this JVM's class path plus the jars and directories of the class loaders that loaded
   * multiproc and the code that builds the pool (a child {@code URLClassLoader}, {@code mvn
   * exec:java}, a servlet container), starts workers through Spring Boot's launcher when
   * multiproc sits in a Boot executable jar, and compiles a program run from its source file.
   * Set it when the classes come from a class loader that cannot list its files (OSGi, JBoss
   * Modules, a custom loader); it must then hold multiproc-processpool, multiproc-ipc,
   * multiproc-core, slf4j-api and the classes of every task. Workers then run on the class path,
   * and tasks are no longer checked against it before they are sent.
   *
   * {@snippet :
   * ProcessPool.builder().classPath(Path.of("/opt/app/lib/app.jar"), Path.of("/opt/app/lib/multiproc-processpool.jar"))
   * }
   *
   * @param entries jars and directories, in order; relative ones are resolved against this JVM's
   *     working directory
   * @return this builder
   */
  public ProcessPool.Builder classPath(Path... entries) {
    launch.classPath(entries == null ? null : Arrays.asList(entries));
    return self();
  }

  /**
   * Sets the workers' class path; see {@link #classPath(Path...)}.
   *
   * @param entries jars and directories, in order
   * @return this builder
   */
  public ProcessPool.Builder classPath(List<Path> entries) {
    launch.classPath(entries);
    return self();
  }

  /**
   * Starts workers with the {@code java} of another Java installation (default: this JVM's).
   * Needed when this JVM has no {@code bin/java}, as in a {@code jpackage} application image or
   * a {@code jlink} image made with {@code --strip-native-commands}.
   *
   * @param javaHome a JDK or JRE of Java 25 or newer
   * @return this builder
   * @throws IllegalArgumentException if it has no executable {@code bin/java} or its
   *     {@code release} file names an older Java
   */
  public ProcessPool.Builder javaHome(Path javaHome) {
    launch.javaHome(javaHome);
    return self();
  }

  /**
   * Sets where worker output goes.
   *
   * @param output where worker output goes (default {@link WorkerOutput#INHERIT})
   * @return this builder
   */
  public ProcessPool.Builder output(WorkerOutput output) {
    launch.output(output);
    return self();
  }

  /**
   * Sets how long a worker may take to start.
   *
   * @param timeout how long a worker may take to start and answer the handshake (default 30 s)
   * @return this builder
   */
  public ProcessPool.Builder startTimeout(Duration timeout) {
    launch.startTimeout(timeout);
    return self();
  }

  /**
   * Sets the codec for tasks, inputs and results (default {@link JdkCodec#create()}). The
   * workers recreate it from its class name: it needs a public static {@code create()} method
   * or a public no-argument constructor.
   *
   * @param codec the codec
   * @return this builder
   */
  public ProcessPool.Builder codec(Codec codec) {
    launch.codec(codec);
    return self();
  }

  /**
   * Whether workers start from a JDK AOT cache (default true). The first pool for a class path
   * trains the cache in the background (one extra short-lived JVM, waited for by
   * {@link ProcessPool#close()} up to 10 s); later pools' workers start from it. The cache is
   * keyed by the JDK, the worker command line and every class-path jar's size and time, so any
   * change selects a new one. Only class paths made of jar files qualify (a JDK rule).
   *
   * @param enabled false to never use or build the cache
   * @return this builder
   */
  public ProcessPool.Builder aotCache(boolean enabled) {
    this.aotCache = enabled;
    return self();
  }
}
