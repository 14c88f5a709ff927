package io.github.multiproc.processpool;

import io.github.multiproc.Job;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.parent.OneShotWorker;
import io.github.multiproc.processpool.internal.parent.WorkerCommand;
import io.github.multiproc.spi.AbstractPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One job running in a fresh JVM, like Python's {@code multiprocessing.Process(target=...)}.
 *
 * {@snippet :
 * JvmProcess<Long> p = JvmProcess.start(() -> ProcessHandle.current().pid());
 * p.pid();          // the child's pid, at once
 * Long childPid = p.result();   // waits; the job's value
 * p.join();         // waits for the JVM to exit
 * p.exitCode();     // OptionalInt[0]
 * }
 *
 * <p>The JVM is started with this JVM's {@code java} and class path; the job is serialized, run
 * in the child, and its value (or exception) sent back; then the child exits with code 0. If the
 * child dies first, {@link #result()} throws {@link io.github.multiproc.WorkerDiedException}.
 * The child exits when this JVM dies.
 *
 * <p>Thread-safe: any thread may call any method. Actions in the job <i>happen-before</i>
 * {@link #result()} returns its value.
 *
 * @param <R> the job's result type
 * @since 0.1
 */
public final class JvmProcess<R> {

  /** The longest wait for the output pipes to drain after the child exited (a grandchild may hold them). */
  private static final Duration OUTPUT_WAIT = Duration.ofSeconds(5);

  private final OneShotWorker worker;

  private JvmProcess(OneShotWorker worker) {
    this.worker = worker;
  }

  /**
   * Starts a JVM running {@code job}, with default options.
   *
   * @param job the job; must be serializable
   * @param <R> its result type
   * @return the running process
   * @throws io.github.multiproc.ipc.codec.CodecException if the job does not serialize
   * @throws WorkerStartException if the JVM cannot be started
   */
  public static <R> JvmProcess<R> start(Job<? extends R> job) {
    return builder().start(job);
  }

  /** {@return a builder for JVM arguments, environment, working directory and output} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the child's process id} */
  public long pid() {
    return worker.handle().pid();
  }

  /** {@return whether the child is running} */
  public boolean isAlive() {
    return worker.handle().isAlive();
  }

  /**
   * Waits for the child to exit and for everything it printed to be forwarded, so its output
   * appears before anything the caller prints after {@code join} returns.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void join() throws InterruptedException {
    try {
      worker.handle().onExit().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot wait for process " + pid(), e.getCause());
    }
    worker.awaitOutput(OUTPUT_WAIT);
  }

  /**
   * Waits at most {@code timeout} for the child to exit and its output to be forwarded.
   *
   * @param timeout how long
   * @return whether it exited
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    try {
      worker.handle().onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      worker.awaitOutput(Duration.ofNanos(Math.max(1, Math.min(end - System.nanoTime(), OUTPUT_WAIT.toNanos()))));
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot wait for process " + pid(), e.getCause());
    }
  }

  /**
   * Waits for the job and returns its value.
   *
   * @return the job's value
   * @throws TaskFailedException whose cause is what the job threw (or a
   *     {@link io.github.multiproc.RemoteException}); a
   *     {@link io.github.multiproc.WorkerDiedException} if the child died first
   * @throws WorkerStartException if the child never started
   * @throws InterruptedException if interrupted while waiting
   */
  @SuppressWarnings("unchecked")
  public R result() throws InterruptedException {
    try {
      return (R) worker.result().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TaskFailedException tfe) {
        throw tfe.withCallerStackTrace(); // built on the child's reader thread: show the caller's frames
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new TaskFailedException(TaskFailedException.NO_INDEX, e.getCause());
    }
  }

  /** {@return the exit code once the child has exited, else empty} */
  public OptionalInt exitCode() {
    return worker.exitCode();
  }

  /** Asks the child to stop (SIGTERM); it runs its shutdown hooks. */
  public void terminate() {
    worker.handle().destroy();
  }

  /** Kills the child at once (SIGKILL). */
  public void kill() {
    worker.kill();
  }

  @Override
  public String toString() {
    return "JvmProcess[pid=" + pid() + (isAlive() ? ", running" : ", exited") + "]";
  }

  /** Builds and starts a {@link JvmProcess}. Not thread-safe; setters check their arguments. */
  public static final class Builder {
    private final LaunchOptions launch = new LaunchOptions();

    private Builder() {}

    /**
     * Adds JVM arguments for the child.
     *
     * @param args JVM arguments for the child
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      launch.jvmArgs(args);
      return this;
    }

    /**
     * Sets an environment variable of the child.
     *
     * @param name a variable
     * @param value its value
     * @return this builder
     */
    public Builder environment(String name, String value) {
      launch.environment(name, value);
      return this;
    }

    /**
     * Sets the child's class path; see {@link ProcessPool.Builder#classPath(Path...)}. By default
     * it is worked out from this JVM and the job's class loader.
     *
     * @param entries jars and directories, in order
     * @return this builder
     */
    public Builder classPath(Path... entries) {
      launch.classPath(entries == null ? null : Arrays.asList(entries));
      return this;
    }

    /**
     * Starts the child with the {@code java} of another Java installation; see
     * {@link ProcessPool.Builder#javaHome(Path)}.
     *
     * @param javaHome a JDK or JRE of Java 25 or newer
     * @return this builder
     */
    public Builder javaHome(Path javaHome) {
      launch.javaHome(javaHome);
      return this;
    }

    /**
     * Sets the child's working directory.
     *
     * @param directory the child's working directory
     * @return this builder
     */
    public Builder workingDirectory(Path directory) {
      launch.workingDirectory(directory);
      return this;
    }

    /**
     * Sets where the child's output goes.
     *
     * @param output where the child's output goes
     * @return this builder
     */
    public Builder output(WorkerOutput output) {
      launch.output(output);
      return this;
    }

    /**
     * Sets how long the child may take to start.
     *
     * @param timeout how long the child may take to start
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      launch.startTimeout(timeout);
      return this;
    }

    /**
     * Sets the codec for the job and its result.
     *
     * @param codec the codec for the job and its result
     * @return this builder
     */
    public Builder codec(Codec codec) {
      launch.codec(codec);
      return this;
    }

    /**
     * Starts the child.
     *
     * @param job the job
     * @param <R> its result type
     * @return the running process
     */
    public <R> JvmProcess<R> start(Job<? extends R> job) {
      Objects.requireNonNull(job, "job");
      WorkerCommand command = launch.command(List.of(job.getClass()));
      command.paths().cannotLoad(job.getClass()).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
      return new JvmProcess<>(OneShotWorker.start(command, launch.output, launch.codec(),
          launch.startTimeout, new AbstractPool.JobTask<>(job)));
    }
  }
}
