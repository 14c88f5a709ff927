package io.github.multiproc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for a worker JVM that is gone: why (died, timed out, recycled, closed), whether that
 * was planned, its exit code and the signal that ended it, and what became of the items it held:
 * lost (failed), retried (an idempotent task runs again) or re-queued (never started, sent to
 * another worker).
 *
 * {@snippet :
 * WorkerExitEvent.emit(new WorkerExitEvent.Exit("ProcessPool", pid, "died", "its protocol pipe ended (EOF)",
 *     137, 9, false, 3, 0, 5));
 * }
 *
 * <p><b>Thread safety.</b> {@link #emit} is thread-safe.
 *
 * @since 0.1
 */
@Name("io.github.multiproc.WorkerExit")
@Label("Worker Exit")
@Category("multiproc")
@Description("A worker JVM of a multiproc pool is gone: died, timed out, recycled or closed")
@StackTrace(false)
public final class WorkerExitEvent extends Event {

  @Label("Pool")
  String pool;

  @Label("Pid")
  long pid;

  @Label("Reason")
  @Description("died, timed out, recycled or closed")
  String reason;

  @Label("Detail")
  @Description("What the pool saw, or why it killed the worker")
  String detail;

  @Label("Exit Code")
  @Description("The process's exit code, or -1 if unknown")
  int exitCode;

  @Label("Signal")
  @Description("The signal that ended the process (9 for SIGKILL), or 0")
  int signal;

  @Label("Planned")
  @Description("Whether the worker left as planned (recycled, stopped after a timeout, closed)")
  boolean planned;

  @Label("Items Lost")
  @Description("Items it was running that failed with it")
  long itemsLost;

  @Label("Items Retried")
  @Description("Items it was running that run again (idempotent tasks)")
  long itemsRetried;

  @Label("Items Re-queued")
  @Description("Items it held but never started, sent to another worker")
  long itemsRequeued;

  private WorkerExitEvent() {}

  /**
   * What one exit was.
   *
   * @param pool the pool's name
   * @param pid the worker's pid
   * @param reason {@code died}, {@code timed out}, {@code recycled} or {@code closed}
   * @param detail what the pool saw
   * @param exitCode the exit code, or -1
   * @param signal the signal that ended it, or 0
   * @param planned whether it left as planned
   * @param itemsLost items that failed with it
   * @param itemsRetried items that run again
   * @param itemsRequeued items never started, sent elsewhere
   */
  public record Exit(String pool, long pid, String reason, String detail, int exitCode, int signal, boolean planned,
      long itemsLost, long itemsRetried, long itemsRequeued) {}

  /** {@return whether a recording wants this event now (to skip building an {@link Exit})} */
  public static boolean wanted() {
    return new WorkerExitEvent().isEnabled();
  }

  /**
   * Commits the event if a recording wants it.
   *
   * @param exit what happened
   */
  public static void emit(Exit exit) {
    WorkerExitEvent e = new WorkerExitEvent();
    if (e.shouldCommit()) {
      e.pool = exit.pool();
      e.pid = exit.pid();
      e.reason = exit.reason();
      e.detail = exit.detail();
      e.exitCode = exit.exitCode();
      e.signal = exit.signal();
      e.planned = exit.planned();
      e.itemsLost = exit.itemsLost();
      e.itemsRetried = exit.itemsRetried();
      e.itemsRequeued = exit.itemsRequeued();
      e.commit();
    }
  }
}
