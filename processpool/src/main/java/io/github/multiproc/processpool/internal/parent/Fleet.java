package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.PoolStats;
import io.github.multiproc.jfr.JfrEvents;
import io.github.multiproc.processpool.WorkerStartException;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.spi.EventDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's worker JVMs and their lifecycle, from launch to exit. Each worker moves through
 *
 * <pre>
 *   STARTING ──HELLO──▶ READY ──stop asked (limit, STOPPING, close)──▶ RETIRING ──exit──▶ GONE
 *       │                 └──────────────died / killed──────────────────────────────▶ GONE
 *       └──died before HELLO / no HELLO in time──▶ GONE
 * </pre>
 *
 * and the fleet as a whole is {@code OPEN} until {@link #close} makes it {@code CLOSED}: a closed
 * fleet starts nothing and replaces nothing. Every worker that leaves (dies, is killed, retires)
 * while the fleet is open is replaced once, by a new worker launched in the background with up to
 * {@link #MAX_START_ATTEMPTS} tries; a worker that dies between HELLO and the pool's first use is
 * replaced like any other. The {@link WorkerStarter} gets workers running; the fleet keeps the
 * table of who is in which state, and counts the replacements ({@link ReplacementCounts}).
 *
 * <p>Workers are launched by one thread per pool ({@link Launcher}), which lives as long as the
 * pool: Linux ties a child's parent-death signal to the thread that started it. The first workers
 * were started by it before the pool was set up; the fleet attaches them in {@link #start}.
 *
 * <p>Thread safety: thread-safe; the worker table is guarded by {@code this}.
 */
final class Fleet {

  /** How often a replacement is tried before the pool gives up on it. */
  static final int MAX_START_ATTEMPTS = 3;

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  }

  enum State { STARTING, READY, RETIRING, GONE }

  /**
   * How a worker left.
   *
   * @param planned whether it left as planned (no alarm: {@code WorkerRetired})
   * @param reason why
   */
  record Gone(boolean planned, WorkerExitReason reason) {}

  /**
   * The fleet's part of a stats snapshot.
   *
   * @param starting workers launched and not ready yet
   * @param ready workers ready (or retiring) and not known to be dead
   * @param replacements replacements so far, by reason
   */
  record Counts(int starting, int ready, PoolStats.Replacements replacements) {}

  /** What the fleet tells the pool. */
  interface Listener {
    /** A worker said HELLO and may take batches. */
    void ready(WorkerProcess worker);

    /** A replacement could not be started after every attempt. */
    void replacementFailed(RuntimeException cause);
  }

  private final EventDelivery events;
  private final List<String> aotArgs;
  private final Launcher launcher;
  private final WorkerStarter starter;
  private final Map<WorkerProcess, Entry> workers = new LinkedHashMap<>(); // guarded by this: not yet gone
  private final List<ProcessHandle> gone = new ArrayList<>(); // guarded by this: only the handle is kept
  private Listener listener; // set once before the first launch
  private boolean closed; // guarded by this
  private final ReplacementCounts replacements = new ReplacementCounts(); // guarded by this

  private static final class Entry {
    State state = State.STARTING;
    boolean replaced;
    String retiredBecause;
    boolean timedOut; // it leaves because a task overran its timeout or ignored a cancellation
    boolean overMemory; // it leaves because its memory grew too large
    long launchedNanos;
    long replacesPid; // 0 for one of the first workers
  }

  Fleet(PoolSettings settings, WorkerProcess.Listener messages, OutputSink output, EventDelivery events, Launcher launcher) {
    this.events = events;
    this.launcher = launcher;
    this.aotArgs = launcher.extraArgs();
    this.starter = new WorkerStarter(settings, this, messages, output, events, launcher);
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Starts {@code n} workers in parallel and waits until every one said HELLO, under one deadline.
   *
   * @throws WorkerStartException naming what happened to the first worker that failed; every
   *     worker started is killed before it is thrown
   */
  void start(int n) {
    starter.startFirst(n);
  }

  /**
   * Enters a worker just launched, as {@link State#STARTING}.
   *
   * @param w the worker
   * @param launchedNanos {@link System#nanoTime()} when its process was started
   * @param replacesPid the pid of the worker it replaces, 0 for one of the first workers
   * @return false if the fleet is closed: the worker was not entered, and its launcher must kill it
   */
  synchronized boolean launched(WorkerProcess w, long launchedNanos, long replacesPid) {
    if (closed) {
      return false; // closed since the launch began: stopAll's snapshot of the workers is taken
    }
    Entry e = new Entry();
    e.launchedNanos = launchedNanos;
    e.replacesPid = replacesPid;
    workers.put(w, e);
    return true;
  }

  /**
   * A worker said HELLO: unless it died meanwhile, it is {@link State#READY} and the listener is told.
   *
   * @param w the worker
   */
  void ready(WorkerProcess w) {
    long launchedNanos;
    long replacesPid;
    synchronized (this) {
      Entry e = workers.get(w);
      if (e == null || e.state != State.STARTING) {
        return; // died in the meantime: its death is being handled
      }
      e.state = State.READY;
      launchedNanos = e.launchedNanos;
      replacesPid = e.replacesPid;
    }
    JfrEvents.workerStart("ProcessPool", w.pid(), replacesPid, System.nanoTime() - launchedNanos, !aotArgs.isEmpty());
    events.emit(new PoolEvent.WorkerStarted(w.pid()));
    listener.ready(w);
  }

  /**
   * Asks a worker to finish what it holds and exit, and replaces it (unless the fleet is closed).
   *
   * @param w the worker
   * @param because why, for the event
   */
  void retire(WorkerProcess w, String because) {
    synchronized (this) {
      Entry e = workers.get(w);
      if (e == null || e.state == State.GONE) {
        return;
      }
      e.state = State.RETIRING;
      if (!e.overMemory) { // the memory limit's reason is the one that tells why
        e.retiredBecause = because;
      }
    }
    Log.LOG.debug("worker {} retires: {}", w.pid(), because);
    w.shutdown();
    replaceOnce(w, null);
  }

  /**
   * Marks a worker as leaving because a task overran its timeout or ignored a cancellation (it
   * said STOPPING, or the pool kills it after the grace period): its replacement counts as
   * {@link WorkerExitReason#TIMED_OUT}.
   *
   * @param w the worker
   */
  synchronized void leavesAfterTimeout(WorkerProcess w) {
    Entry e = workers.get(w);
    if (e != null) {
      e.timedOut = true;
    }
  }

  /**
   * Marks a worker as leaving because its memory grew too large (its resident memory passed
   * {@code maxWorkerMemory}, or a task threw {@code OutOfMemoryError}): its replacement counts as
   * {@link WorkerExitReason#OVER_MEMORY}, and listeners hear of it at once.
   *
   * @param w the worker
   * @param reason what was measured or thrown
   * @return false if it was already marked (the event is sent once)
   */
  boolean leavesOverMemory(WorkerProcess w, String reason) {
    synchronized (this) {
      Entry e = workers.get(w);
      if (e == null || e.overMemory || e.state == State.GONE) {
        return false;
      }
      e.overMemory = true;
      e.retiredBecause = reason;
    }
    Log.LOG.info("worker {} retires after the chunks it holds: {}", w.pid(), reason);
    events.emit(new PoolEvent.WorkerMemoryExceeded(w.pid(), reason));
    return true;
  }

  /**
   * A worker is gone. Its batches were handled by the scheduler; this records it, tells the
   * listeners, and replaces it if it was not replaced yet.
   *
   * @param w the worker
   * @param death why
   * @return whether the death was expected (the worker was retiring and exited cleanly), and why
   *     the worker left
   */
  Gone gone(WorkerProcess w, WorkerDeath death) {
    State before;
    String retired;
    boolean timedOut;
    boolean overMemory;
    synchronized (this) {
      Entry e = workers.get(w);
      if (e == null) {
        return new Gone(true, WorkerExitReason.CLOSED);
      }
      before = e.state;
      retired = e.retiredBecause;
      timedOut = e.timedOut;
      overMemory = e.overMemory;
      e.state = State.GONE;
    }
    boolean planned = (before == State.RETIRING || isClosed()) && death.killedBecause() == null
        && (death.exitCode().orElse(0) == 0 || death.exitCode().getAsInt() == Protocol.EXIT_TASK_TIMEOUT);
    WorkerExitReason reason = timedOut || (planned && death.exitCode().orElse(0) == Protocol.EXIT_TASK_TIMEOUT)
        ? WorkerExitReason.TIMED_OUT
        : !planned ? WorkerExitReason.DIED
        : before == State.RETIRING ? (overMemory ? WorkerExitReason.OVER_MEMORY : WorkerExitReason.RECYCLED) : WorkerExitReason.CLOSED;
    if (planned) {
      events.emit(new PoolEvent.WorkerRetired(w.pid(), retired != null ? retired : "the pool closed"));
    } else {
      events.emit(new PoolEvent.WorkerDied(death.pid(), death.exitCode(),
          death.killedBecause() != null ? "killed by the pool: " + death.killedBecause() : death.reason()));
    }
    replaceOnce(w, reason);
    synchronized (this) { // a long-lived pool that recycles workers keeps no dead WorkerProcess
      workers.remove(w);
      gone.add(w.handle());
    }
    return new Gone(planned, reason);
  }

  /** @param reason why it left, or null for a retirement (recycled, unless it timed out) */
  private void replaceOnce(WorkerProcess old, WorkerExitReason reason) {
    synchronized (this) {
      Entry e = workers.get(old);
      if (closed || e == null || e.replaced) {
        return;
      }
      e.replaced = true;
      replacements.started(e.timedOut ? WorkerExitReason.TIMED_OUT
          : e.overMemory && reason != WorkerExitReason.DIED ? WorkerExitReason.OVER_MEMORY
          : reason == null ? WorkerExitReason.RECYCLED : reason);
    }
    starter.replace(old);
  }

  /** A replacement's launch ended, ready or failed. */
  synchronized void replacementEnded() {
    replacements.ended();
    notifyAll();
  }

  /**
   * Waits until no replacement is being launched: after {@link #close()} each one ends soon, its
   * process killed and gone, so that a pool that closed or failed to start leaves no process behind
   * when it returns, not even one that was being spawned.
   *
   * @param atMost how long to wait
   * @throws InterruptedException if interrupted
   */
  synchronized void awaitReplacementsEnded(Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (replacements.launching()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        Log.LOG.warn("a replacement worker was still being launched {} after the pool closed", atMost);
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * A replacement could not be started after every attempt: the listener is told.
   *
   * @param cause why
   */
  void replacementFailed(RuntimeException cause) {
    listener.replacementFailed(cause);
  }

  /** @return the workers starting and ready, and the replacements so far */
  synchronized Counts counts() {
    int starting = 0;
    int ready = 0;
    for (Map.Entry<WorkerProcess, Entry> w : workers.entrySet()) {
      State state = w.getValue().state;
      if (state == State.STARTING) {
        starting++;
      } else if ((state == State.READY || state == State.RETIRING) && !w.getKey().isDead()) {
        ready++;
      }
    }
    return new Counts(starting, ready, replacements.snapshot());
  }

  /** @return whether a replacement is being launched */
  synchronized boolean replacing() {
    return replacements.launching();
  }

  /** @return the workers that said HELLO and are not gone (nor known to be dying) */
  synchronized List<WorkerProcess> live() {
    List<WorkerProcess> live = new ArrayList<>();
    workers.forEach((w, e) -> {
      if ((e.state == State.READY || e.state == State.RETIRING) && !w.isDead() && w.handle().isAlive()) {
        live.add(w);
      }
    });
    return live;
  }

  /** @return every worker launched and not yet gone, in whatever state */
  synchronized List<WorkerProcess> attached() {
    return new ArrayList<>(workers.keySet());
  }

  /** @return every worker process ever started, live or not */
  synchronized List<ProcessHandle> everStarted() {
    List<ProcessHandle> all = new ArrayList<>(gone);
    workers.keySet().forEach(w -> all.add(w.handle()));
    return all;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Starts nothing more and replaces nothing more. */
  synchronized void close() {
    closed = true;
  }

  /**
   * Stops every worker (SHUTDOWN, or SIGKILL if {@code kill}) and waits until each has exited
   * and its output was forwarded, killing any that does not exit within a few seconds; then ends
   * the launcher's thread.
   *
   * @param kill kill at once
   * @throws InterruptedException if interrupted; every worker is killed first
   */
  void stopAll(boolean kill) throws InterruptedException {
    close();
    List<WorkerProcess> all = attached();
    try {
      WorkerExits.stopAll(all, kill);
      awaitReplacementsEnded(WorkerExits.EXIT_WAIT);
    } finally {
      launcher.shutdown();
    }
  }
}
