package io.github.multiproc.jfr;

import java.time.Duration;

/**
 * The one way backends emit the library's JFR events. Each method first asks
 * {@link FlightRecorderGate#open()} and touches the event class only when the recorder is
 * initialized, so a pool used without a recording never loads an event class (the first one a
 * JVM loads sets the recorder up, 110-160 ms cold). Emission sites therefore need no check of
 * their own, and a call holds its event as an opaque {@code Object}: a lambda that captured a
 * {@link CallEvent} would load the class through its own type signature.
 *
 * {@snippet :
 * Object call = JfrEvents.callBegin("ThreadPool", CallEvent.MAP);
 * // ... the call runs ...
 * JfrEvents.callEnd(call, items, CallEvent.COMPLETED);
 * }
 *
 * <p>Thread safety: stateless; safe from any thread. A recording started while a call runs
 * records from the next call on.
 */
public final class JfrEvents {

  private JfrEvents() {}

  /**
   * Begins a call's event.
   *
   * @param pool the pool's name
   * @param kind one of {@link CallEvent#MAP}, {@link CallEvent#IMAP},
   *     {@link CallEvent#IMAP_UNORDERED}, {@link CallEvent#SUBMIT}
   * @return an opaque handle for {@link #callEnd}, or {@code null} if nothing records
   */
  public static Object callBegin(String pool, String kind) {
    return FlightRecorderGate.open() ? CallEvent.begin(pool, kind) : null;
  }

  /**
   * Ends a call's event.
   *
   * @param call the handle from {@link #callBegin}, or {@code null}
   * @param items how many items the call took
   * @param outcome {@link CallEvent#COMPLETED}, {@link CallEvent#FAILED} or {@link CallEvent#CANCELLED}
   */
  public static void callEnd(Object call, long items, String outcome) {
    if (call != null) {
      CallEvent.end((CallEvent) call, items, outcome);
    }
  }

  /**
   * Records an item that ran past its per-task timeout.
   *
   * @param pool the pool's name
   * @param pid the process that ran it
   * @param index the item's input index
   * @param timeout the timeout it ran past
   */
  public static void taskTimeout(String pool, long pid, long index, Duration timeout) {
    if (FlightRecorderGate.open()) {
      TaskTimeoutEvent.emit(pool, pid, index, timeout);
    }
  }

  /**
   * Records a worker JVM that answered its handshake.
   *
   * @param pool the pool's name
   * @param pid the worker's pid
   * @param replacesPid the pid of the worker it replaces, or 0
   * @param timeToReadyNanos from launch to handshake
   * @param aotCache whether it started from the AOT cache
   */
  public static void workerStart(String pool, long pid, long replacesPid, long timeToReadyNanos, boolean aotCache) {
    if (FlightRecorderGate.open()) {
      WorkerStartEvent.emit(pool, pid, replacesPid, timeToReadyNanos, aotCache);
    }
  }

  /** {@return whether a worker's exit would be recorded now (to skip building its {@link WorkerExitEvent.Exit})} */
  public static boolean workerExitWanted() {
    return FlightRecorderGate.open() && WorkerExitEvent.wanted();
  }

  /**
   * Records a worker JVM that is gone.
   *
   * @param exit what happened
   */
  public static void workerExit(WorkerExitEvent.Exit exit) {
    if (FlightRecorderGate.open()) {
      WorkerExitEvent.emit(exit);
    }
  }
}
