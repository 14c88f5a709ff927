package io.github.multiproc.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Tells a backend whether to touch its events at all. Loading the first {@link jdk.jfr.Event}
 * class of a JVM sets up the Flight Recorder's metadata (its settings, type library and
 * annotation proxies), measured at 110-160 ms on a cold JVM, so a pool that emitted its events
 * unconditionally paid that inside the user's first {@code create} or {@code map}. Events are
 * only wanted while a recording may be on, and no recording can be on before the recorder is
 * initialized: by {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the
 * {@link FlightRecorder} API. This check costs a static read; the event classes stay unloaded
 * until it says yes.
 *
 * {@snippet :
 * if (FlightRecorderGate.open()) {
 *   WorkerStartEvent.emit("ProcessPool", pid, 0, nanos, true);
 * }
 * }
 *
 * <p>Thread safety: stateless; safe from any thread. A recording started between the check and
 * the event misses that one event.
 */
public final class FlightRecorderGate {

  private FlightRecorderGate() {}

  /** {@return whether the Flight Recorder is initialized, so that events may be recorded} */
  public static boolean open() {
    return FlightRecorder.isInitialized();
  }
}
