package io.github.multiproc.processpool;

import java.io.Serial;

/**
 * A worker JVM could not be started, or did not say it was ready before its start timeout. The
 * message names the likely causes and the builder option that fixes each —
 * {@code classPath(...)} when the worker could not load multiproc's classes (with where its class
 * path came from), {@code javaHome(...)} when its {@code java} is missing or older than 25,
 * {@code jvmArgs(...)} for an invalid JVM argument, {@code startTimeout(...)} when it was slow —
 * then the command line and the worker's stderr. The fault lies with the environment or the
 * pool's options, not with a task.
 *
 * {@snippet :
 * try (ProcessPool pool = ProcessPool.create(4)) { ... }
 * catch (WorkerStartException e) {
 *   log.error("workers did not start", e);   // the message says what to change
 * }
 * }
 *
 * <p>Thread safety: immutable once thrown, like any {@link RuntimeException}.
 *
 * @since 0.1
 */
public class WorkerStartException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, the likely causes and the worker's stderr
   * @param cause the underlying failure, or null
   */
  public WorkerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
