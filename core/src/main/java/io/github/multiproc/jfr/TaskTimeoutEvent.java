package io.github.multiproc.jfr;

import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JFR event for an item that ran past its per-task timeout ({@code MapOptions.taskTimeout}):
 * which pool, which worker (this JVM's pid for the thread backends), which input.
 *
 * {@snippet :
 * TaskTimeoutEvent.emit("ThreadPool", ProcessHandle.current().pid(), index, timeout);
 * }
 *
 * <p><b>Thread safety.</b> {@link #emit} is thread-safe.
 *
 * @since 0.1
 */
@Name("io.github.multiproc.TaskTimeout")
@Label("Task Timeout")
@Category("multiproc")
@Description("An item of a multiproc pool ran past its per-task timeout")
@StackTrace(false)
public final class TaskTimeoutEvent extends Event {

  @Label("Pool")
  String pool;

  @Label("Pid")
  @Description("The worker that ran it (this JVM for thread backends)")
  long pid;

  @Label("Input Index")
  @Description("The input's position in its call, or -1 for a submitted job")
  long index;

  @Label("Timeout")
  @Timespan(Timespan.NANOSECONDS)
  long timeout;

  private TaskTimeoutEvent() {}

  /**
   * Commits the event if a recording wants it.
   *
   * @param pool the pool's name
   * @param pid the worker's pid
   * @param index the input's index, or -1
   * @param timeout the timeout in force
   */
  public static void emit(String pool, long pid, long index, Duration timeout) {
    TaskTimeoutEvent e = new TaskTimeoutEvent();
    if (e.shouldCommit()) {
      e.pool = pool;
      e.pid = pid;
      e.index = index;
      e.timeout = timeout.toNanos();
      e.commit();
    }
  }
}
