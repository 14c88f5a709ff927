package io.github.multiproc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for one pool call ({@code map}, {@code imap}, {@code imapUnordered},
 * {@code submit}): which pool, how many items, how it ended; the event's duration is the call's,
 * from its start until its last result was taken (or until it failed or was cancelled). Emitted
 * by the engine every backend shares.
 *
 * {@snippet :
 * CallEvent call = CallEvent.begin("ThreadPool", CallEvent.MAP);    // null while no recording is on
 * // ... run the call ...
 * CallEvent.end(call, items, CallEvent.COMPLETED);                  // does nothing for null
 * }
 *
 * <p><b>Thread safety.</b> An instance belongs to one call; {@link #begin} and {@link #end} may be
 * called on different threads if the hand-over between them is safe (the call's own hand-offs
 * are). The static methods are thread-safe.
 *
 * @since 0.1
 */
@Name("io.github.multiproc.Call")
@Label("Pool Call")
@Category("multiproc")
@Description("A map, imap, imapUnordered or submit call of a multiproc pool, from start to its last result")
@StackTrace(false)
public final class CallEvent extends Event {

  /** The kind of a {@code map} call. */
  public static final String MAP = "map";
  /** The kind of an {@code imap} call. */
  public static final String IMAP = "imap";
  /** The kind of an {@code imapUnordered} call. */
  public static final String IMAP_UNORDERED = "imapUnordered";
  /** The kind of a {@code submit} call. */
  public static final String SUBMIT = "submit";

  /** Every result was taken: no item failed. */
  public static final String COMPLETED = "completed";
  /** An item failed and the call threw ({@code map}, an iterator), or the call itself failed. */
  public static final String FAILED = "failed";
  /** The caller was interrupted, or the future was cancelled. */
  public static final String CANCELLED = "cancelled";

  @Label("Pool")
  @Description("The pool's backend, such as ThreadPool or ProcessPool")
  String pool;

  @Label("Kind")
  @Description("map, imap, imapUnordered or submit")
  String kind;

  @Label("Items")
  @Description("Inputs read by the call (1 for submit)")
  long items;

  @Label("Outcome")
  @Description("completed, failed or cancelled")
  String outcome;

  private CallEvent() {}

  /**
   * Starts timing a call if a recording wants this event.
   *
   * @param pool the pool's name
   * @param kind {@link #MAP}, {@link #IMAP}, {@link #IMAP_UNORDERED} or {@link #SUBMIT}
   * @return the started event, or null when no recording is on (nothing to do at the end)
   */
  public static CallEvent begin(String pool, String kind) {
    CallEvent e = new CallEvent();
    if (!e.isEnabled()) {
      return null;
    }
    e.pool = pool;
    e.kind = kind;
    e.begin();
    return e;
  }

  /**
   * Ends a call's event and commits it if the recording's threshold lets it through.
   *
   * @param event what {@link #begin} returned, possibly null
   * @param items inputs read by the call
   * @param outcome {@link #COMPLETED}, {@link #FAILED} or {@link #CANCELLED}
   */
  public static void end(CallEvent event, long items, String outcome) {
    if (event == null) {
      return;
    }
    event.end();
    if (event.shouldCommit()) {
      event.items = items;
      event.outcome = outcome;
      event.commit();
    }
  }
}
