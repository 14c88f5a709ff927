package io.github.multiproc;

import java.io.Serial;

/**
 * Thrown by {@link Pool#map map} and the iterators of {@link Pool#imap imap} and
 * {@link Pool#imapUnordered imapUnordered} when a task failed on one input.
 *
 * <p>{@link #index()} is the position of the failing input in the iterable passed to the pool
 * (counting from 0), and {@link #getCause()} is what the task threw: the original exception for
 * thread backends; for a process backend the original exception when it could be deserialized in
 * the caller, otherwise a {@link RemoteException} carrying the remote class name, message and
 * stack trace.
 *
 * {@snippet :
 * try {
 *   pool.map(x -> 10 / x, List.of(1, 0, 2));
 * } catch (TaskFailedException e) {
 *   e.index();      // 1
 *   e.getCause();   // java.lang.ArithmeticException: / by zero
 * }
 * }
 *
 * <p>Subclasses say whose fault it was: {@link TaskTimeoutException} (the task ran too long),
 * {@link WorkerDiedException} (the worker process died under it),
 * {@link WorkerInitializationException} (the worker's initializer failed). A plain
 * {@code TaskFailedException} means the task itself threw. The pool stays usable after any of
 * them.
 *
 * @since 0.1
 */
public class TaskFailedException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /** The {@link #index()} of a failure that belongs to no input, such as a submitted job's. */
  public static final long NO_INDEX = -1;

  /** The failing input's position, or {@link #NO_INDEX}. */
  private final long index;

  /**
   * Creates the exception for the input at {@code index}.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param cause what the task threw
   */
  public TaskFailedException(long index, Throwable cause) {
    this(index, describe(index, cause), cause);
  }

  /**
   * Creates the exception with a message of the caller's choosing.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param message the detail message
   * @param cause what the task threw, or {@code null}
   */
  protected TaskFailedException(long index, String message, Throwable cause) {
    super(message, cause);
    if (index < NO_INDEX) {
      throw new IllegalArgumentException("index must be >= 0 or NO_INDEX: index=" + index);
    }
    this.index = index;
  }

  /**
   * Returns the position of the failing input in the inputs passed to the pool.
   *
   * @return the index counting from 0, or {@link #NO_INDEX}
   */
  public long index() {
    return index;
  }

  /**
   * Makes this failure show where the caller received it. A backend builds a failure on one of
   * its own threads (a worker's reader, a completing thread), so its stack trace holds only the
   * pool's frames; before a pool throws it to a caller it calls this method, which, like
   * {@link java.util.concurrent.CompletableFuture#join()}'s wrapping, puts the caller's frames in
   * the stack trace and keeps the frames where the failure was built as a suppressed
   * {@link BuiltOnAPoolThread}. Applied once: a second call changes nothing.
   *
   * @return this exception
   */
  public TaskFailedException withCallerStackTrace() {
    for (Throwable s : getSuppressed()) {
      if (s instanceof BuiltOnAPoolThread) {
        return this;
      }
    }
    BuiltOnAPoolThread origin = new BuiltOnAPoolThread();
    origin.setStackTrace(getStackTrace());
    StackTraceElement[] here = new Throwable().getStackTrace();
    setStackTrace(java.util.Arrays.copyOfRange(here, Math.min(1, here.length), here.length));
    addSuppressed(origin);
    return this;
  }

  /** Where a failure was built, on a pool's thread, before it was thrown to its caller. */
  public static final class BuiltOnAPoolThread extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    BuiltOnAPoolThread() {
      super("the failure was built on a pool thread; these are its frames there", null, false, true);
    }
  }

  private static String describe(long index, Throwable cause) {
    String where = index == NO_INDEX ? "task failed" : "task failed on input #" + index;
    return cause == null ? where : where + ": " + cause;
  }
}
