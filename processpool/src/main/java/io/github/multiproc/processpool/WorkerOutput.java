package io.github.multiproc.processpool;

/**
 * Where a worker's output goes: what its code writes to standard output (Java's
 * {@code System.out}, native {@code printf}) and to standard error (plus the JVM's own messages).
 * Every line is attributed to the worker's pid.
 *
 * {@snippet :
 * ProcessPool pool = ProcessPool.builder().workers(2).output(WorkerOutput.LOG).build();
 * }
 *
 * <p>Whatever the mode, the parent keeps the last lines of each worker's stderr to explain a
 * failed start or a death ({@link io.github.multiproc.WorkerDiedException#stderrTail()}).
 *
 * @since 0.1
 */
public enum WorkerOutput {

  /**
   * Each line goes to the parent's {@code System.out} (worker stdout) or {@code System.err}
   * (worker stderr), prefixed with {@code [worker <pid>] }: like Python, where children print to
   * the same terminal. The default.
   */
  INHERIT,

  /**
   * Each line is logged through SLF4J, logger {@code io.github.multiproc.processpool.worker}:
   * stdout lines at INFO, stderr lines at WARN, with the worker's pid in the message.
   */
  LOG,

  /** Output is dropped (the stderr tail is still kept for diagnostics). */
  DISCARD
}
