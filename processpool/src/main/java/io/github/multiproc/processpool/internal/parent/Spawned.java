package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import java.util.List;

/**
 * A worker process just started, with its protocol pipes, before the pool attached its threads
 * to it ({@link WorkerProcess#attach}).
 *
 * @param process the worker's process
 * @param pipes its protocol pipes, held open until it says HELLO
 * @param startedNanos {@link System#nanoTime()} when its start began (before its pipes)
 */
record Spawned(Process process, WorkerPipes pipes, long startedNanos) {

  /**
   * Creates a worker's pipes and starts it. Call it on a thread that lives as long as the worker:
   * on Linux the worker asks to be killed when the thread that started it ends
   * ({@code PR_SET_PDEATHSIG}).
   *
   * @param command the worker's command
   * @param extraArgs JVM arguments added to it (crash reports, AOT cache)
   * @return the started process
   * @throws IOException if the pipes or the process cannot be created
   */
  static Spawned start(WorkerCommand command, List<String> extraArgs) throws IOException {
    long startedNanos = System.nanoTime();
    return start(command, extraArgs, WorkerPipes.create(), startedNanos);
  }

  /**
   * Starts a worker on pipes created before (the pool's first workers share one {@code mkfifo}).
   *
   * @param command the worker's command
   * @param extraArgs JVM arguments added to it (crash reports, AOT cache)
   * @param pipes its pipes, held; closed if the process cannot be started
   * @param startedNanos {@link System#nanoTime()} when its start began
   * @return the started process
   * @throws IOException if the process cannot be created
   */
  static Spawned start(WorkerCommand command, List<String> extraArgs, WorkerPipes pipes, long startedNanos)
      throws IOException {
    try {
      return new Spawned(command.processBuilder(ProcessHandle.current().pid(), extraArgs, pipes).start(), pipes,
          startedNanos);
    } catch (IOException | RuntimeException e) {
      pipes.close();
      throw e;
    }
  }

  /** Kills the process and deletes its pipes; for a worker the pool never attached. */
  void kill() {
    process.destroyForcibly();
    pipes.close();
  }
}
