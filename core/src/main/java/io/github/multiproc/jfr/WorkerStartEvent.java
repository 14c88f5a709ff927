package io.github.multiproc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JFR event for a worker JVM that became ready: its pid, the worker it replaces (if any), how
 * long it took from launch to its handshake, and whether it started from the pool's AOT cache.
 *
 * {@snippet :
 * WorkerStartEvent.emit("ProcessPool", pid, replacedPid, System.nanoTime() - launchedAt, aotCacheUsed);
 * }
 *
 * <p><b>Thread safety.</b> {@link #emit} is thread-safe.
 *
 * @since 0.1
 */
@Name("io.github.multiproc.WorkerStart")
@Label("Worker Start")
@Category("multiproc")
@Description("A worker JVM of a multiproc pool answered its handshake and is ready")
@StackTrace(false)
public final class WorkerStartEvent extends Event {

  @Label("Pool")
  String pool;

  @Label("Pid")
  long pid;

  @Label("Replaces Pid")
  @Description("The pid of the worker it replaces, or 0 for one of the pool's first workers")
  long replacesPid;

  @Label("Time To Ready")
  @Description("From launching the process to its handshake")
  @Timespan(Timespan.NANOSECONDS)
  long timeToReady;

  @Label("AOT Cache Used")
  @Description("Whether the worker started from the pool's JDK AOT cache")
  boolean aotCache;

  private WorkerStartEvent() {}

  /**
   * Commits the event if a recording wants it.
   *
   * @param pool the pool's name
   * @param pid the worker's pid
   * @param replacesPid the pid of the worker it replaces, or 0
   * @param timeToReadyNanos from launch to handshake
   * @param aotCache whether it started from the AOT cache
   */
  public static void emit(String pool, long pid, long replacesPid, long timeToReadyNanos, boolean aotCache) {
    WorkerStartEvent e = new WorkerStartEvent();
    if (e.shouldCommit()) {
      e.pool = pool;
      e.pid = pid;
      e.replacesPid = replacesPid;
      e.timeToReady = timeToReadyNanos;
      e.aotCache = aotCache;
      e.commit();
    }
  }
}
