package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.shm.SegmentSweeper;
import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.Idempotent;
import io.github.multiproc.processpool.PoolEvent;
import io.github.multiproc.processpool.PoolEventListener;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.internal.protocol.Faults;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.spi.AbstractPool;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.processpool.WorkerOutput;
import io.github.multiproc.processpool.WorkerStartException;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a pool's worker JVMs: starts them in parallel, hands chunks to them, notices deaths, fails
 * exactly the chunks a dead worker held, replaces it, and retires workers after their task limit.
 *
 * <p><b>Dispatch.</b> Chunks wait in one queue; a worker holds at most
 * {@link #CHUNKS_PER_WORKER} chunks (one running, one queued in the worker so it never idles
 * waiting for the parent). When a worker answers, the next chunk goes to it. A call's task is
 * sent to a worker once (DEFINE) just before that worker's first chunk of the call, and released
 * (RELEASE) when the call ends.
 *
 * <p><b>Threads.</b> Workers are started by one launcher thread per pool
 * ({@code multiproc-launcher-n}), which lives as long as the pool so that Linux's parent-death
 * signal (tied to the starting thread) fires only when this JVM dies. Answers arrive on each
 * worker's reader thread.
 *
 * <p><b>Locking.</b> All dispatch state is guarded by {@code lock}. No I/O happens under it
 * ({@link WorkerProcess#send} only queues), and futures are completed outside it.
 */
public final class WorkerSupervisor implements WorkerProcess.Listener {

  /** The most chunks one worker holds at once. */
  public static final int CHUNKS_PER_WORKER = 2;

  private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
  private static final AtomicInteger LAUNCHER_IDS = new AtomicInteger();
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
  private static final int MAX_START_ATTEMPTS = 3;
  private static final Duration TRAINING_DEADLINE = Duration.ofSeconds(60);
  private static final Duration TRAINING_WAIT_ON_CLOSE = Duration.ofSeconds(10);

  /**
   * The fixed part of every worker's configuration.
   *
   * @param workers how many workers to keep
   * @param command the command line
   * @param output where worker output goes
   * @param codec the object codec
   * @param initializer the encoded initializer, or null
   * @param startTimeout the handshake deadline
   * @param maxItemsPerWorker retire a worker after this many items, or 0 for never
   * @param aotCache whether workers use (and the pool builds) the JDK AOT cache
   * @param heartbeatInterval how often each worker is pinged
   * @param heartbeatTimeout how long a worker may send nothing before it is killed as wedged
   * @param cancelGrace how long a cancelled running chunk may take to stop before its worker is killed
   * @param idempotentRetries how many times a chunk of an {@link Idempotent} call is re-run after its worker died
   * @param faults the fault injector, or null
   * @param listener the event listener, or null
   */
  public record Settings(int workers, WorkerCommand command, WorkerOutput output, Codec codec,
      byte[] initializer, Duration startTimeout, long maxItemsPerWorker, boolean aotCache,
      Duration heartbeatInterval, Duration heartbeatTimeout, Duration cancelGrace, int idempotentRetries,
      FaultInjector faults, PoolEventListener listener) {}

  private final Settings settings;
  private final OutputSink output;
  private final ExecutorService launcher;
  private final ScheduledThreadPoolExecutor watchdog;
  private final Events events;
  private final byte[] encodedFaults;
  private final Optional<AotCache> aot;
  private volatile Thread trainer;
  private final AtomicReference<Process> training = new AtomicReference<>();
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  /* Everything below is guarded by lock. */
  private final ArrayDeque<Assignment<?>> queue = new ArrayDeque<>();
  private final List<Slot> slots = new ArrayList<>();
  private final Map<WorkerProcess, Slot> byWorker = new HashMap<>();
  private final Set<WorkerProcess> everStarted = new LinkedHashSet<>();
  private int starting;
  private boolean closing;

  private WorkerSupervisor(Settings settings) {
    this.settings = settings;
    this.output = new OutputSink(settings.output());
    this.aot = settings.aotCache() ? AotCache.forCommand(settings.command()) : Optional.empty();
    int n = LAUNCHER_IDS.incrementAndGet();
    this.launcher = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("multiproc-launcher-" + n).factory());
    this.watchdog = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("multiproc-watchdog-" + n).factory());
    this.watchdog.setRemoveOnCancelPolicy(true);
    this.events = new Events(settings.listener());
    this.encodedFaults = settings.faults() == null ? null : settings.codec().encode(settings.faults());
  }

  /**
   * Starts the workers in parallel and waits until every one said HELLO.
   *
   * @param settings the configuration
   * @return the running supervisor
   * @throws WorkerStartException if a worker did not start; no process is left behind
   */
  public static WorkerSupervisor start(Settings settings) {
    WorkerSupervisor s = new WorkerSupervisor(settings);
    List<WorkerProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < settings.workers(); i++) {
        started.add(s.launch());
      }
      for (WorkerProcess w : started) {
        s.awaitReady(w);
      }
    } catch (RuntimeException | Error e) {
      s.shutdownNow();
      throw e;
    }
    synchronized (s.lock) {
      for (WorkerProcess w : started) {
        if (!w.isDead()) {
          s.addSlot(w);
        }
      }
    }
    for (WorkerProcess w : started) {
      s.events.emit(new PoolEvent.WorkerStarted(w.pid()));
    }
    long every = settings.heartbeatInterval().toNanos();
    s.watchdog.scheduleWithFixedDelay(s::heartbeat, every, every, TimeUnit.NANOSECONDS);
    s.aot.filter(AotCache::needsTraining).ifPresent(cache -> s.trainer = Thread.ofPlatform().daemon()
        .name("multiproc-aot-" + LAUNCHER_IDS.get())
        .start(() -> cache.train(settings.command(), settings.codec(), TRAINING_DEADLINE, s.training::set)));
    return s;
  }

  private WorkerProcess launch() {
    synchronized (lock) {
      if (closing) {
        throw new RejectedExecutionException("the pool is closing");
      }
    }
    try {
      WorkerProcess w = launcher.submit(() -> WorkerProcess.start(settings.command(),
          aot.map(AotCache::workerArgs).orElse(List.of()), this, output)).get();
      synchronized (lock) {
        everStarted.add(w);
      }
      if (encodedFaults != null) {
        w.send(FrameType.DEFINE, Protocol.FAULT_INJECTOR, encodedFaults);
      }
      if (settings.initializer() != null) {
        w.send(FrameType.DEFINE, 0, settings.initializer());
      }
      return w;
    } catch (ExecutionException e) {
      throw new WorkerStartException(StartDiagnostics.cannotStart(settings.command(), e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerStartException("interrupted while starting a worker", e);
    }
  }

  private void awaitReady(WorkerProcess w) {
    try {
      w.ready().get(settings.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      w.kill();
      throw new WorkerStartException(StartDiagnostics.timedOut(settings, w), e);
    } catch (ExecutionException e) {
      throw new WorkerStartException(StartDiagnostics.diedAtStart(settings, w), e.getCause());
    } catch (InterruptedException e) {
      w.kill();
      Thread.currentThread().interrupt();
      throw new WorkerStartException("interrupted while waiting for worker " + w.pid() + " to start", e);
    }
  }

  /** The watchdog: pings every worker, and kills one that has sent nothing for the heartbeat timeout. */
  private void heartbeat() {
    List<WorkerProcess> live;
    synchronized (lock) {
      live = slots.stream().map(s -> s.worker).toList();
    }
    long now = System.nanoTime();
    long limit = settings.heartbeatTimeout().toNanos();
    for (WorkerProcess w : live) {
      long silent = now - w.lastHeardNanos();
      if (silent > limit) {
        giveNothingMore(w);
        w.kill("unresponsive: no frame for " + Duration.ofNanos(silent).toMillis() + " ms, not even an answer to "
            + "the heartbeat (heartbeatTimeout " + settings.heartbeatTimeout() + "); stopped (SIGSTOP) or wedged?");
      } else {
        w.send(FrameType.PING, 0, new byte[0]);
      }
    }
  }

  /** Sends nothing more to a worker the pool is about to kill or has frozen. */
  private void giveNothingMore(WorkerProcess w) {
    synchronized (lock) {
      Slot s = byWorker.get(w);
      if (s != null) {
        s.retiring = true;
      }
    }
  }

  /** @return a new id for a call or chunk, never 0 */
  public long nextId() {
    return ids.incrementAndGet();
  }

  /** @return the pids of the live workers */
  public List<Long> pids() {
    synchronized (lock) {
      return slots.stream().map(s -> s.worker.pid()).toList();
    }
  }

  /** @return every worker process this supervisor ever started, live or not */
  public List<ProcessHandle> everStarted() {
    synchronized (lock) {
      return everStarted.stream().map(WorkerProcess::handle).toList();
    }
  }

  /**
   * Encodes a chunk's inputs and queues it. Inputs that do not encode fail at once (each with
   * the codec's exception naming the class and field path); the others run.
   *
   * @param call the call
   * @param chunk the chunk
   * @param <R> the result type
   * @return the chunk's future; cancelling it cancels the chunk in its worker
   * @throws RejectedExecutionException if the pool is closing
   */
  public <R> CompletableFuture<ChunkResult<R>> submit(CallState call, Chunk<?> chunk) {
    synchronized (lock) {
      if (closing) {
        throw new RejectedExecutionException("the pool is closed; create a new pool");
      }
    }
    Assignment<R> a = new Assignment<>(call, chunk);
    if (!prepare(a)) {
      return a.future;
    }
    synchronized (lock) {
      if (closing) {
        throw new RejectedExecutionException("the pool is closed; create a new pool");
      }
      queue.addLast(a);
      pump();
    }
    a.future.whenComplete((r, e) -> {
      if (a.future.isCancelled()) {
        cancel(a);
      }
    });
    return a.future;
  }

  /**
   * Finds the inputs that the codec cannot encode, one by one: called only once a run of inputs
   * failed to encode, so a chunk whose inputs all encode is encoded once, when it is prepared.
   */
  private Throwable[] unsendable(Chunk<?> chunk) {
    Throwable[] bad = new Throwable[chunk.size()];
    for (int i = 0; i < chunk.size(); i++) {
      try {
        ItemsCodec.encode(Collections.singletonList(chunk.items().get(i)), settings.codec(), new PayloadWriter(64));
      } catch (CodecException e) {
        bad[i] = e;
      }
    }
    return bad;
  }

  /**
   * Moves past resolved items and encodes the next run of sendable items as the TASKS payload.
   * Called outside the lock.
   *
   * @return false if the assignment is complete (its future was completed), true if it must be sent
   */
  private boolean prepare(Assignment<?> a) {
    while (true) {
      while (a.done < a.chunk.size() && a.unsendable != null && a.unsendable[a.done] != null) {
        a.result.fail(a.done, a.unsendable[a.done]);
        a.done++;
      }
      if (a.done == a.chunk.size()) {
        a.complete();
        return false;
      }
      int end = a.done + 1;
      while (end < a.chunk.size() && (a.unsendable == null || a.unsendable[end] == null)) {
        end++;
      }
      while (true) {
        PayloadWriter out;
        try {
          out = Protocol.tasksPayload(a.call.id, a.chunk.indexOf(a.done),
              a.chunk.items().subList(a.done, end), settings.codec());
        } catch (CodecException e) {
          if (a.unsendable == null) {
            a.unsendable = unsendable(a.chunk); // which inputs? those fail alone, the others run
            break;
          }
          a.failRun(end - a.done, i -> e);
          break;
        }
        if (out.size() <= Protocol.MAX_PAYLOAD) {
          a.payload = out.toByteArray();
          a.sent = end - a.done;
          a.chunkId = nextId();
          return true;
        }
        if (end - a.done == 1) {
          int bytes = out.size();
          a.failRun(1, i -> new IllegalArgumentException("input #" + a.chunk.indexOf(a.done)
              + " encodes to " + bytes + " bytes, over the protocol's frame limit of " + Protocol.MAX_PAYLOAD
              + " bytes: pass large data through a file or SharedMemory instead"));
          break;
        }
        end = a.done + (end - a.done) / 2; // too large for one frame: send fewer items at a time
      }
    }
  }

  /**
   * Ends a call: workers that hold its task drop it.
   *
   * @param call the call
   */
  public void release(CallState call) {
    synchronized (lock) {
      for (Slot s : slots) {
        if (s.defined.remove(call.id)) {
          s.worker.send(FrameType.RELEASE, call.id, new byte[0]);
        }
      }
    }
  }

  private void cancel(Assignment<?> a) {
    synchronized (lock) {
      if (queue.remove(a) || a.slot == null || a.slot.worker.isDead()) {
        return;
      }
      WorkerProcess w = a.slot.worker;
      long chunkId = a.chunkId;
      w.send(FrameType.CANCEL, chunkId, new byte[0]);
      watchdog.schedule(() -> {
        synchronized (lock) {
          Slot s = byWorker.get(w);
          if (s == null || s.held.get(chunkId) != a) {
            return; // answered or dropped in time, or the worker is gone
          }
        }
        giveNothingMore(w);
        w.kill("a cancelled chunk was still running " + settings.cancelGrace()
            + " after its interrupt (the task ignores interrupts)");
      }, settings.cancelGrace().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /* Called with lock held. */
  private void pump() {
    while (!queue.isEmpty()) {
      Slot best = null;
      for (Slot s : slots) {
        if (s.accepts(settings.maxItemsPerWorker()) && (best == null || s.held.size() < best.held.size())) {
          best = s;
        }
      }
      if (best == null) {
        return;
      }
      Assignment<?> a = queue.removeFirst();
      if (a.future.isDone()) {
        continue; // cancelled while queued
      }
      if (best.defined.add(a.call.id)) {
        best.worker.send(FrameType.DEFINE, a.call.id, a.call.definePayload);
      }
      a.slot = best;
      best.held.put(a.chunkId, a);
      FaultInjector.Action fault = fault(FaultInjector.Stage.TASK_ENCODE, a);
      if (fault == FaultInjector.Action.KILL) { // the worker dies as the chunk is handed to it
        best.retiring = true;
        best.worker.kill();
      } else if (fault == FaultInjector.Action.HANG) { // it freezes before it can read the chunk
        best.retiring = true;
        best.worker.freeze();
      }
      best.worker.send(FrameType.TASKS, a.chunkId, fault == FaultInjector.Action.CORRUPT
          ? Faults.corruptPayload(a.payload, 16) : a.payload);
    }
  }

  private FaultInjector.Action fault(FaultInjector.Stage stage, Assignment<?> a) {
    FaultInjector f = settings.faults();
    if (f == null) {
      return FaultInjector.Action.NONE;
    }
    for (int i = 0; i < a.sent; i++) {
      FaultInjector.Action action = f.at(stage, a.chunk.indexOf(a.done + i));
      if (action != FaultInjector.Action.NONE) {
        LOG.warn("fault injected: {} at {} for chunk {} (inputs from #{})", action, stage, a.chunkId,
            a.chunk.indexOf(a.done));
        return action;
      }
    }
    return FaultInjector.Action.NONE;
  }

  /* Called with lock held. */
  private void addSlot(WorkerProcess w) {
    Slot s = new Slot(w);
    slots.add(s);
    byWorker.put(w, s);
    pump();
  }

  @Override
  public void onResults(WorkerProcess worker, long chunkId, byte[] payload) {
    Assignment<?> a = answered(worker, chunkId);
    if (a == null || a.future.isDone()) {
      return; // unknown, or cancelled meanwhile: its results are not wanted
    }
    FaultInjector.Action fault = fault(FaultInjector.Stage.RESULT_DECODE, a);
    if (fault == FaultInjector.Action.KILL) {
      giveNothingMore(worker);
      worker.kill();
    } else if (fault == FaultInjector.Action.HANG) {
      giveNothingMore(worker);
      worker.freeze();
    } else if (fault == FaultInjector.Action.CORRUPT) {
      payload = Faults.corruptPayload(payload, 8);
    }
    int from = a.done;
    ResultsCodec.Decoded r;
    try {
      r = ResultsCodec.decodeInto(payload, settings.codec(), a.result, from, a.sent); // no copy per chunk
    } catch (IOException | RuntimeException e) {
      String dump = ProtocolException.dump(payload, 0, payload.length);
      giveNothingMore(worker);
      worker.kill("its RESULTS frame for chunk " + chunkId + " did not decode: " + e);
      a.failRun(a.sent, i -> new ProtocolException(a.indexFor(i), worker.pid(),
          "its RESULTS frame for chunk " + chunkId + " did not decode: " + e, dump, e));
      emitFailures(a, worker.pid(), a.done - a.sent, a.done);
      continueOrComplete(a);
      return;
    }
    a.executionNanos += Math.max(0, r.executionNanos());
    a.done += r.count(); // fewer than sent: the worker stopped (a timeout); the rest never ran and is sent again
    emitFailures(a, worker.pid(), from, a.done);
    continueOrComplete(a);
  }

  private void emitFailures(Assignment<?> a, long pid, int from, int to) {
    for (int i = from; i < to; i++) {
      Throwable t = a.result.failure(i);
      if (t == null) {
        continue;
      }
      long index = a.chunk.indexOf(i);
      events.emit(t instanceof TaskTimeoutException te ? new PoolEvent.TaskTimedOut(pid, index, te.timeout())
          : new PoolEvent.TaskFailed(pid, index, t));
    }
  }

  private void continueOrComplete(Assignment<?> a) {
    if (prepare(a)) {
      synchronized (lock) {
        a.slot = null;
        if (closing && slots.isEmpty()) {
          a.future.completeExceptionally(new RejectedExecutionException("the pool was shut down before this chunk ran"));
          return;
        }
        queue.addFirst(a);
        pump();
      }
    }
  }

  @Override
  public void onDropped(WorkerProcess worker, long chunkId) {
    if (chunkId == 0) { // the worker announced it is stopping
      synchronized (lock) {
        Slot s = byWorker.get(worker);
        if (s != null) {
          s.retiring = true;
        }
      }
      return;
    }
    Assignment<?> a = answered(worker, chunkId);
    if (a != null && !a.future.isDone()) {
      synchronized (lock) { // never started there: run it elsewhere, first
        a.slot = null;
        queue.addFirst(a);
        pump();
      }
    }
  }

  private Assignment<?> answered(WorkerProcess worker, long chunkId) {
    WorkerProcess retire = null;
    Assignment<?> a;
    synchronized (lock) {
      Slot s = byWorker.get(worker);
      a = s == null ? null : s.held.remove(chunkId);
      if (a != null) {
        s.itemsRun += a.sent;
        if (settings.maxItemsPerWorker() > 0 && s.itemsRun >= settings.maxItemsPerWorker() && !s.retiring) {
          s.retiring = true;
        }
        if (s.retiring && s.held.isEmpty()) {
          slots.remove(s);
          byWorker.remove(worker);
          retire = worker;
        }
      }
      pump();
      lock.notifyAll();
    }
    if (retire != null) {
      LOG.debug("worker {} reached its task limit; replacing it", retire.pid());
      retire.shutdown();
      replace(retire.pid());
    }
    return a;
  }

  /**
   * A worker died. It ran its chunks one at a time in the order they were sent, and answered each
   * before starting the next, so of the chunks it still held only the oldest can have started:
   * that one fails (or, for an idempotent call, runs again up to the retry limit); the others
   * never started and go back to the head of the queue.
   */
  @Override
  public void onDeath(WorkerProcess worker, WorkerProcess.Death death) {
    sweepSharedMemory(worker);
    List<Assignment<?>> held;
    boolean replace;
    synchronized (lock) {
      Slot s = byWorker.remove(worker);
      if (s == null) {
        return; // retired on purpose, or never ready
      }
      slots.remove(s);
      held = new ArrayList<>(s.held.values()); // insertion order = the order they were sent
      s.held.clear();
      replace = !closing;
      lock.notifyAll();
    }
    events.emit(new PoolEvent.WorkerDied(death.pid(), death.exitCode(),
        death.killedBecause() != null ? "killed by the pool: " + death.killedBecause() : death.reason()));
    if (!replace && held.isEmpty()) {
      LOG.debug("worker {} exited while the pool closed ({})", death.pid(), death.reason());
      return;
    }
    Assignment<?> running = held.isEmpty() ? null : held.getFirst();
    List<Assignment<?>> unstarted = held.isEmpty() ? List.of() : held.subList(1, held.size());
    boolean retry = running != null && !running.future.isDone() && running.call.idempotent
        && running.attempts < settings.idempotentRetries();
    LOG.warn("worker {} died ({}; exit code {}{}); {}{}{}", death.pid(), death.reason(),
        death.exitCode().isPresent() ? death.exitCode().getAsInt() : "unknown",
        death.killedBecause() == null ? "" : "; killed by the pool: " + death.killedBecause(),
        running == null ? "it held no chunk" : (retry ? "re-running" : "failing") + " the chunk it was running ("
            + running.sent + " item(s) from input #" + running.chunk.indexOf(running.done) + ")",
        unstarted.isEmpty() ? "" : ", re-dispatching " + unstarted.size() + " chunk(s) it had not started",
        replace ? "; replacing it" : "");
    List<Assignment<?>> again = new ArrayList<>();
    if (running != null && !running.future.isDone()) {
      if (retry) {
        running.attempts++;
        again.add(running);
      } else {
        Assignment<?> a = running;
        int from = a.done;
        if (death.protocolBreak() != null) {
          WorkerProcess.ProtocolBreak b = death.protocolBreak();
          a.failRun(a.sent, i -> new ProtocolException(a.indexFor(i), death.pid(), b.problem(), b.dump(), b.cause()));
        } else {
          a.failRun(a.sent, i -> new WorkerDiedException(a.indexFor(i), death.pid(), death.exitCode(),
              death.diagnostics()));
        }
        emitFailures(a, death.pid(), from, a.done);
        if (prepare(a)) {
          again.add(a);
        }
      }
    }
    for (Assignment<?> a : unstarted) {
      if (!a.future.isDone()) {
        again.add(a);
      }
    }
    synchronized (lock) {
      for (int i = again.size() - 1; i >= 0; i--) {
        again.get(i).slot = null;
        queue.addFirst(again.get(i));
      }
      pump();
    }
    if (replace) {
      replace(death.pid());
    } else {
      failQueuedIfNoWorkers(new RejectedExecutionException("the pool was shut down before this chunk ran"));
    }
  }

  /**
   * Unlinks the shared-memory segments the dead worker created ({@link SegmentSweeper}), before
   * its chunks fail, so a caller that sees the failure sees the segments gone. The sweeper only
   * removes segments of a process that has exited; a worker reported dead before its process
   * ended (EOF first) is swept when it exits.
   */
  private static void sweepSharedMemory(WorkerProcess worker) {
    if (worker.exitCode().isPresent()) {
      sweepOwnedBy(worker.pid());
    } else {
      worker.handle().onExit().thenRun(() -> sweepOwnedBy(worker.pid()));
    }
  }

  private static void sweepOwnedBy(long pid) {
    try {
      SegmentSweeper.sweepOwnedBy(pid);
    } catch (RuntimeException e) { // an unreadable /dev/shm must not stop the death handling
      LOG.warn("could not sweep the shared memory segments of dead worker {}: {}", pid, e.toString());
    }
  }

  private void replace(long oldPid) {
    synchronized (lock) {
      if (closing) {
        return;
      }
      starting++;
    }
    Thread.ofPlatform().daemon().name("multiproc-replacer-" + ids.get()).start(() -> {
      try {
        for (int attempt = 1; ; attempt++) {
          try {
            WorkerProcess w = launch();
            awaitReady(w);
            boolean added;
            synchronized (lock) {
              added = !closing;
              if (added) {
                addSlot(w);
              }
            }
            if (added) {
              LOG.info("worker {} replaces worker {}", w.pid(), oldPid);
              events.emit(new PoolEvent.WorkerStarted(w.pid()));
              events.emit(new PoolEvent.WorkerReplaced(w.pid(), oldPid));
            } else {
              w.shutdown();
            }
            return;
          } catch (WorkerStartException | RejectedExecutionException e) {
            if (attempt >= MAX_START_ATTEMPTS || isClosing()) {
              LOG.error("cannot replace worker {} after {} attempt(s)", oldPid, attempt, e);
              failQueuedIfNoWorkers(e);
              return;
            }
            LOG.warn("replacement for worker {} failed to start (attempt {}); retrying", oldPid, attempt, e);
          }
        }
      } finally {
        synchronized (lock) {
          starting--;
          lock.notifyAll();
        }
      }
    });
  }

  private boolean isClosing() {
    synchronized (lock) {
      return closing;
    }
  }

  private void failQueuedIfNoWorkers(RuntimeException cause) {
    List<Assignment<?>> orphans = new ArrayList<>();
    synchronized (lock) {
      if (slots.isEmpty() && starting <= 1) {
        orphans.addAll(queue);
        queue.clear();
      }
    }
    for (Assignment<?> a : orphans) {
      a.future.completeExceptionally(cause);
    }
  }

  /**
   * Lets accepted chunks finish, then shuts every worker down and waits for it to exit (killing
   * any that does not within a few seconds) and for its output to be forwarded.
   */
  public void close() {
    boolean interrupted = false;
    synchronized (lock) {
      closing = true;
      while (!queue.isEmpty() || slots.stream().anyMatch(s -> !s.held.isEmpty()) || starting > 0) {
        if (slots.isEmpty() && starting == 0) {
          break; // nobody left to run the queue
        }
        try {
          lock.wait(100);
        } catch (InterruptedException e) {
          interrupted = true; // finish closing, then restore the status
        }
      }
    }
    stopWorkers(false);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills every worker at once. Chunks that had not started fail with
   * {@link RejectedExecutionException}, the ones running with {@link WorkerDiedException}.
   *
   * @return the inputs that never started (for a submitted job, the job), in dispatch order
   */
  public List<Object> shutdownNow() {
    List<Assignment<?>> neverRan = new ArrayList<>();
    synchronized (lock) {
      closing = true;
      for (Slot s : slots) {
        List<Assignment<?>> held = new ArrayList<>(s.held.values());
        for (int i = 1; i < held.size(); i++) { // all but the oldest never started
          neverRan.add(held.get(i));
          s.held.remove(held.get(i).chunkId);
        }
      }
      neverRan.addAll(queue);
      queue.clear();
    }
    List<Object> inputs = new ArrayList<>();
    RejectedExecutionException stopped = new RejectedExecutionException("the pool was shut down (shutdownNow) "
        + "before this chunk ran");
    for (Assignment<?> a : neverRan) {
      if (a.future.isDone()) {
        continue;
      }
      for (int i = a.done; i < a.chunk.size(); i++) {
        inputs.add(a.call.job ? a.call.job() : a.chunk.items().get(i));
      }
      a.future.completeExceptionally(stopped);
    }
    stopWorkers(true);
    return inputs;
  }

  private void stopWorkers(boolean kill) {
    List<Slot> live;
    List<Assignment<?>> orphans;
    synchronized (lock) {
      closing = true;
      live = new ArrayList<>(slots);
      orphans = new ArrayList<>(queue);
      queue.clear();
    }
    watchdog.shutdownNow();
    for (Slot s : live) {
      if (kill) {
        s.worker.kill();
      } else {
        s.worker.shutdown();
      }
    }
    RejectedExecutionException closed = new RejectedExecutionException("the pool was closed before this chunk ran");
    for (Assignment<?> a : orphans) {
      a.future.completeExceptionally(closed);
    }
    boolean interrupted = false;
    List<WorkerProcess> all;
    synchronized (lock) {
      all = new ArrayList<>(everStarted);
    }
    for (WorkerProcess w : all) {
      ProcessHandle h = w.handle();
      try {
        if (!h.onExit().toCompletableFuture().completeOnTimeout(null, EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(x -> !h.isAlive()).get()) {
          LOG.warn("worker {} did not exit within {}; killing it", h.pid(), EXIT_WAIT);
          h.destroyForcibly();
          h.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        w.awaitOutput(EXIT_WAIT); // its last output lines are forwarded before close returns
      } catch (InterruptedException e) {
        interrupted = true;
        h.destroyForcibly();
      } catch (ExecutionException | TimeoutException e) {
        LOG.error("worker {} could not be stopped", h.pid(), e);
      }
    }
    launcher.shutdown();
    Thread t = trainer;
    if (t != null) { // the AOT training is a child too: let it finish (once per class path), or kill it
      try {
        if (kill || !t.join(TRAINING_WAIT_ON_CLOSE)) {
          Process p = training.get();
          if (p != null) {
            p.destroyForcibly();
          }
          t.join(EXIT_WAIT);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        Process p = training.get();
        if (p != null) {
          p.destroyForcibly();
        }
      }
    }
    events.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One call's task as the workers see it. */
  public static final class CallState {
    final long id;
    final boolean job;
    final boolean idempotent;
    final Object task;
    final byte[] definePayload;

    /**
     * @param id the call id
     * @param timeoutNanos the per-item timeout, or 0
     * @param graceNanos how long a timed-out item may take to stop before its worker is killed
     * @param encodedTask the encoded task
     * @param task the task (a submitted job's is an {@link AbstractPool.JobTask})
     */
    public CallState(long id, long timeoutNanos, long graceNanos, byte[] encodedTask, Object task) {
      this.id = id;
      this.task = task;
      this.job = task instanceof AbstractPool.JobTask<?>;
      this.idempotent = Idempotent.isIdempotent(task);
      this.definePayload = Protocol.definePayload(timeoutNanos, graceNanos, encodedTask);
      if (definePayload.length > Protocol.MAX_PAYLOAD) {
        throw new IllegalArgumentException("the task encodes to " + encodedTask.length + " bytes, over the "
            + "protocol's frame limit of " + Protocol.MAX_PAYLOAD + " bytes: it captures too much data; pass large data "
            + "through a file or SharedMemory instead");
      }
    }

    /** @return the call id */
    public long id() {
      return id;
    }

    Object job() {
      return task instanceof AbstractPool.JobTask<?> jt ? jt.job() : null;
    }
  }

  private static final class Slot {
    final WorkerProcess worker;
    final Map<Long, Assignment<?>> held = new LinkedHashMap<>(); // in the order sent
    final Set<Long> defined = new HashSet<>();
    long itemsRun;
    boolean retiring;

    Slot(WorkerProcess worker) {
      this.worker = worker;
    }

    /** A worker takes no chunk past its item limit: it runs at most limit + chunk size - 1 items. */
    boolean accepts(long maxItems) {
      return !retiring && held.size() < CHUNKS_PER_WORKER && (maxItems == 0 || itemsRun + heldItems() < maxItems);
    }

    /** @return the items of the chunks this worker holds (at most {@code CHUNKS_PER_WORKER} chunks) */
    long heldItems() {
      long n = 0;
      for (Assignment<?> a : held.values()) {
        n += a.sent;
      }
      return n;
    }
  }

  /**
   * One chunk of a call on its way through the workers. It may travel in several runs: items
   * that could not be encoded are skipped, a run that would not fit in one frame is halved, and
   * the items a worker never reached (it stopped after a timeout) go out again. Items
   * {@code [0, done)} are resolved; the run in flight covers {@code [done, done + sent)}.
   * Fields are written by one thread at a time: the submitter, then whichever thread holds the
   * chunk (hand-offs go through the supervisor's lock).
   */
  private static final class Assignment<R> {
    final CallState call;
    final Chunk<?> chunk;
    Throwable[] unsendable; // null until a run of inputs failed to encode; then each input's failure or null
    final ChunkResult<R> result;
    final CompletableFuture<ChunkResult<R>> future = new CompletableFuture<>();
    long chunkId;
    byte[] payload;
    int done;
    int sent;
    int attempts;
    long executionNanos;
    Slot slot; // guarded by the supervisor's lock

    Assignment(CallState call, Chunk<?> chunk) {
      this.call = call;
      this.chunk = chunk;
      this.result = new ChunkResult<>(chunk.size());
    }

    long indexFor(int i) {
      return chunk.indexOf(done + i);
    }

    /** Fails the next {@code n} items ({@code failure} gets the position in the run) and moves past them. */
    void failRun(int n, java.util.function.IntFunction<Throwable> failure) {
      for (int i = 0; i < n; i++) {
        result.fail(done + i, failure.apply(i));
      }
      done += n;
    }

    void complete() {
      future.complete(result.executionNanos(executionNanos));
    }
  }
}
