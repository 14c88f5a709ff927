package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.spi.EventDelivery;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.jfr.FlightRecorderGate;
import io.github.multiproc.jfr.TaskTimeoutEvent;
import io.github.multiproc.jfr.WorkerExitEvent;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process pool's machinery, wired: callers submit chunks, which the {@link BatchEncoder}
 * encodes on the caller's thread; one event loop ({@code multiproc-pool-n}) owns the
 * {@link Scheduler} and applies, in order, everything that happens — batches submitted, workers
 * ready, their messages, their deaths, cancellations, close; the {@link Fleet} starts and
 * replaces workers; the {@link ResultDecoder} decodes answers under a deadline; the
 * {@link Watchdog} pings workers and arms graces.
 *
 * <pre>
 *   caller ──encode──▶ loop ◀── reader threads (messages, then death)   launcher ◀── fleet
 *                       │  scheduler: which worker runs which batch
 *                       ├──▶ worker writer queues (TASKS, DEFINE, CANCEL, RECALL, ...)
 *                       └──▶ decoder threads ──▶ chunk futures ──▶ caller
 * </pre>
 *
 * <p>No worker's reader thread ever encodes, dispatches or decodes values, and the loop never
 * blocks on I/O or on a decode.
 *
 * <p>Thread safety: the public methods may be called from any thread.
 */
public final class PoolEngine implements WorkerProcess.Listener, Fleet.Listener {

  /** The most batches one worker holds at once: one running, one waiting in its pipe. */
  public static final int BATCHES_PER_WORKER = Scheduler.BATCHES_PER_WORKER;

  private static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final AtomicBoolean SWEPT = new AtomicBoolean();
  private static final Duration DRAIN_WAIT_ON_KILL = Duration.ofSeconds(10);

  private final PoolSettings settings;
  private final int n = IDS.incrementAndGet();
  private final AtomicLong ids = new AtomicLong();
  private final ExecutorService loop = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("multiproc-pool-" + n).factory());
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
      Thread.ofPlatform().daemon().name("multiproc-watchdog-" + n).factory());
  private final EventDelivery events;
  private final Scheduler<WorkerProcess> scheduler;
  private final Fleet fleet;
  private final BatchEncoder encoder;
  private final ResultDecoder decoder;
  private final ParentFaults faults;
  private final Optional<AotCache> aot;
  private final AotTrainer trainer = new AotTrainer();
  private final Set<PoolRun<?>> live = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean closing;
  private volatile Held held = Held.NONE; // what the scheduler holds, published by the loop for stats
  private RuntimeException noWorkers; // loop only: why queued batches cannot run any more

  private PoolEngine(PoolSettings settings, Launcher launcher) {
    this.settings = settings;
    this.timer.setRemoveOnCancelPolicy(true);
    this.events = EventDelivery.of(settings.listener());
    this.aot = launcher.aotCache();
    this.fleet = new Fleet(settings, this, new OutputSink(settings.output()), events, launcher);
    this.fleet.listener(this);
    this.faults = settings.faultInjector() == null ? ParentFaults.NONE
        : ParentFaults.of(settings.faultInjector(), this::giveNothingMore);
    this.scheduler = new Scheduler<>(new WorkerActions(faults, fleet, settings), settings.maxItemsPerWorker(),
        settings.idempotentRetries());
    this.encoder = new BatchEncoder(settings.codec(), this::nextId, settings.largePayloadThreshold());
    this.decoder = new ResultDecoder(settings.codec(), settings.resultDecodeTimeout(), timer);
  }

  /**
   * Takes the workers a launcher started ({@link Launcher#start}) and waits until every one said
   * HELLO; starts any that it did not.
   *
   * @param settings the configuration
   * @param launcher the launcher, its first workers not yet taken
   * @return the running engine
   * @throws io.github.multiproc.processpool.WorkerStartException if a worker did not start; no process is left behind
   */
  public static PoolEngine start(PoolSettings settings, Launcher launcher) {
    PoolEngine e;
    try {
      e = new PoolEngine(settings, launcher);
    } catch (RuntimeException | Error ex) {
      launcher.abandon();
      throw ex;
    }
    try {
      e.fleet.start(settings.workers());
    } catch (RuntimeException | Error ex) {
      e.shutdownThreads();
      throw ex;
    }
    if (SWEPT.compareAndSet(false, true)) { // what pools of dead parents left; not while the workers start
      Thread.ofPlatform().daemon().name("multiproc-sweeper").start(() -> {
        WorkerPipes.sweepAbandoned();
        DeadWorkers.sweepPoolSegments(); // large values of pools whose parent was killed mid-transfer
      });
    }
    new Watchdog(settings, e.fleet, e.timer, e::giveNothingMore).start();
    e.aot.ifPresent(cache -> e.trainer.startIfNeeded(cache, settings.command(), settings.codec()));
    return e;
  }

  /** @return a new id for a call or batch, never 0 */
  public long nextId() {
    return ids.incrementAndGet();
  }

  /** @return the pids of the live workers */
  public List<Long> pids() {
    return fleet.live().stream().map(WorkerProcess::pid).toList();
  }

  /** @return every worker process this pool ever started, live or not */
  public List<ProcessHandle> everStarted() {
    return fleet.everStarted();
  }

  /**
   * Returns the pool's workers and chunks for {@code Pool.stats()}, without stopping the loop: the
   * fleet's counts (under its lock) and what the loop last published after an event. A chunk
   * usually travels as one batch; the figures count batches.
   *
   * @return the figures
   */
  public BackendStats stats() {
    Fleet.Counts f = fleet.counts();
    Held h = held;
    return new BackendStats(f.starting() + f.ready(), Math.min(h.busyWorkers(), f.ready()), f.starting(),
        h.queued(), h.inFlight(), f.replacements());
  }

  /**
   * What the scheduler holds, as the loop last saw it.
   *
   * @param busyWorkers workers holding at least one batch
   * @param queued batches waiting for a worker
   * @param inFlight batches held by workers
   */
  private record Held(int busyWorkers, int queued, int inFlight) {
    static final Held NONE = new Held(0, 0, 0);
  }

  /** On the loop, after each event: publishes what changed (no allocation when nothing did). */
  private void publishHeld() {
    int busy = scheduler.busyWorkers();
    int queued = scheduler.queued();
    int inFlight = scheduler.heldBatches();
    Held h = held;
    if (h.busyWorkers() != busy || h.queued() != queued || h.inFlight() != inFlight) {
      held = new Held(busy, queued, inFlight);
    }
  }

  /**
   * Encodes a chunk's inputs (on this thread) and queues its batches. Inputs that do not encode
   * fail at once, each with the codec's exception; the others run.
   *
   * @param call the call
   * @param chunk the chunk
   * @param whenDone told of the chunk's outcome (attached before any of its batches is queued)
   * @param <R> the result type
   * @return the chunk's future; cancelling it cancels the chunk in its worker
   * @throws RejectedExecutionException if the pool is closing
   */
  public <R> CompletableFuture<ChunkResult<R>> submit(PoolCall call, Chunk<?> chunk,
      java.util.function.BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
    if (closing) {
      throw new RejectedExecutionException("the pool is closed; create a new pool");
    }
    PoolRun<R> c = new PoolRun<>(call, chunk);
    live.add(c);
    c.future.whenComplete((r, t) -> {
      live.remove(c);
      if (c.future.isCancelled()) {
        post(() -> armCancelGrace(scheduler.cancel(c)));
      }
      if (closing && live.isEmpty()) {
        drained.complete(null);
      }
    });
    c.future.whenComplete(whenDone);
    List<Batch> batches = encoder.encode(c, 0);
    if (!batches.isEmpty()) {
      post(() -> {
        for (Batch b : batches) {
          scheduler.submit(b);
        }
        failQueuedIfNoWorkers();
      });
    }
    return c.future;
  }

  /**
   * Ends a call: workers that hold its task drop it.
   *
   * @param call the call
   */
  public void release(PoolCall call) {
    post(() -> scheduler.release(call));
  }

  /** The pool is about to kill or freeze a worker on purpose: it gets no batch meanwhile. */
  private void giveNothingMore(WorkerProcess worker) {
    post(() -> scheduler.retiring(worker));
  }

  private void armCancelGrace(List<Scheduler.Held<WorkerProcess>> held) {
    for (Scheduler.Held<WorkerProcess> h : held) {
      timer.schedule(() -> post(() -> {
        if (scheduler.holds(h.worker(), h.batch())) {
          fleet.leavesAfterTimeout(h.worker());
          scheduler.retiring(h.worker());
          h.worker().kill("a cancelled batch was still running " + settings.taskTimeoutGrace()
              + " after its interrupt (the task ignores interrupts)");
        }
      }), settings.taskTimeoutGrace().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /* ---- the fleet (launcher and replacer threads) ---- */

  @Override
  public void ready(WorkerProcess worker) {
    post(() -> {
      if (!worker.isDead()) {
        noWorkers = null;
        scheduler.workerReady(worker);
      }
    });
  }

  @Override
  public void replacementFailed(RuntimeException cause) {
    post(() -> {
      noWorkers = cause;
      failQueuedIfNoWorkers();
    });
  }

  /* ---- what workers say (their reader threads), applied in order on the loop ---- */

  @Override
  public void onMessage(WorkerProcess worker, WorkerMessage message) {
    post(() -> apply(worker, message));
  }

  @Override
  public void onDeath(WorkerProcess worker, WorkerDeath death) {
    post(() -> died(worker, death));
  }

  private void apply(WorkerProcess worker, WorkerMessage message) {
    // instanceof, not a pattern switch: no invokedynamic bootstrap on a cold parent's first answer
    if (message instanceof WorkerMessage.Results r) {
      answered(worker, r);
    } else if (message instanceof WorkerMessage.Dropped d) {
      scheduler.dropped(worker, d.batchId());
    } else if (message instanceof WorkerMessage.Stopping s) {
      LOG.debug("worker {} is stopping: {}", worker.pid(), s.reason());
      if (s.reason().startsWith(Protocol.STOPPING_OUT_OF_MEMORY)) {
        fleet.leavesOverMemory(worker, s.reason());
      } else {
        fleet.leavesAfterTimeout(worker); // the other reason a worker stops itself
      }
      scheduler.retiring(worker);
    }
  }

  private void answered(WorkerProcess worker, WorkerMessage.Results r) {
    if (settings.maxWorkerMemory() > 0) {
      checkMemory(worker); // before the answer frees its slot: an over-limit worker gets nothing more
    }
    Batch b = scheduler.answered(worker, r.batchId());
    if (b == null) {
      if (!worker.isDead()) {
        worker.kill("it answered batch " + r.batchId() + ", which it did not hold (a protocol error)");
      }
      return;
    }
    if (r.count() > b.count) {
      String problem = "it answered " + r.count() + " item(s) for the " + b.count + " of " + b;
      if (b.settle()) {
        String dump = ProtocolException.dump(r.payload(), 0, r.payload().length);
        b.chunk.fail(b.from, b.count, i -> new ProtocolException(b.indexOf(i), worker.pid(), problem, dump, null));
      }
      worker.kill(problem);
      return;
    }
    List<SharedValues.Entry> outOfBand;
    try { // claimed now, before the worker's exit can sweep them (its death is applied after this)
      outOfBand = SharedValueReader.claim(ResultsCodec.outOfBand(r.payload(), b.count, worker.pid()));
    } catch (IOException e) {
      String problem = "its RESULTS for " + b + " name shared memory it may not: " + e.getMessage();
      if (b.settle()) {
        String dump = ProtocolException.dump(r.payload(), 0, r.payload().length);
        b.chunk.fail(b.from, b.count, i -> new ProtocolException(b.indexOf(i), worker.pid(), problem, dump, e));
      }
      worker.kill(problem);
      return;
    }
    if (b.isCancelled()) {
      SharedValueReader.deleteClaimed(outOfBand);
      return; // nobody wants the answers
    }
    decoder.decode(b, faults.beforeDecode(worker, b, r), worker, this::reportFailures, outOfBand);
    if (r.count() < b.count) { // the worker stopped after a timed-out item; the rest never started
      for (Batch rest : encoder.encode(b.chunk, b.from + r.count(), b.from + b.count)) {
        scheduler.submit(rest);
      }
    }
  }

  /** Retires a worker whose resident memory passed {@code maxWorkerMemory}, after the chunks it holds. */
  private void checkMemory(WorkerProcess worker) {
    long rss = WorkerMemory.residentBytes(worker.pid());
    if (rss > settings.maxWorkerMemory() && fleet.leavesOverMemory(worker, "resident memory "
        + WorkerMemory.mib(rss) + " passed maxWorkerMemory " + WorkerMemory.mib(settings.maxWorkerMemory()))) {
      scheduler.retiring(worker);
    }
  }

  private void reportFailures(Batch b, ChunkResult<?> part, long pid) {
    if (part.firstFailure() < 0) {
      return;
    }
    for (int i = 0; i < part.size(); i++) {
      Throwable t = part.failure(i);
      if (t instanceof TaskTimeoutException te && FlightRecorderGate.open()) {
        TaskTimeoutEvent.emit("ProcessPool", pid, b.indexOf(i), te.timeout());
      }
      if (t != null && events.enabled()) {
        long index = b.indexOf(i);
        events.emit(t instanceof TaskTimeoutException te ? new PoolEvent.TaskTimedOut(pid, index, te.timeout())
            : new PoolEvent.TaskFailed(pid, index, t));
      }
    }
  }

  private void died(WorkerProcess worker, WorkerDeath death) {
    DeadWorkers.sweepSharedMemory(worker);
    Scheduler.Death d = scheduler.workerDied(worker);
    Fleet.Gone gone = fleet.gone(worker, death);
    boolean planned = gone.planned();
    if (FlightRecorderGate.open() && WorkerExitEvent.wanted()) {
      recordExit(death, death.exitCode().isPresent() ? death.exitCode() : worker.exitCode(), gone, d);
    }
    if (!planned || d.lost() != null) {
      LOG.warn("worker {} died ({}; exit code {}{}); {}{}{}", death.pid(), death.reason(),
          death.exitCode().isPresent() ? death.exitCode().getAsInt() : "unknown",
          death.killedBecause() == null ? "" : "; killed by the pool: " + death.killedBecause(),
          d.lost() != null ? "failing " + d.lost() : d.retried() != null ? "re-running " + d.retried()
              : "it held no unanswered batch",
          d.requeued().isEmpty() ? "" : ", re-dispatching " + d.requeued().size() + " batch(es) it had not started",
          closing ? "" : "; replacing it");
    }
    Batch lost = d.lost();
    if (lost != null && lost.settle()) {
      ChunkResult<Object> failures = DeadWorkers.failuresOf(lost, death);
      reportFailures(lost, failures, death.pid());
      lost.chunk.resolve(lost.from, failures, 0);
    }
    failQueuedIfNoWorkers();
  }

  private static void recordExit(WorkerDeath death, OptionalInt exitCode, Fleet.Gone gone, Scheduler.Death d) {
    int code = exitCode.orElse(-1);
    long requeued = 0;
    for (Batch b : d.requeued()) {
      requeued += b.count;
    }
    WorkerExitEvent.emit(new WorkerExitEvent.Exit("ProcessPool", death.pid(), gone.reason().label,
        death.killedBecause() != null ? "killed by the pool: " + death.killedBecause() : death.reason(), code,
        code > 128 && code < 128 + 65 ? code - 128 : 0, gone.planned(), d.lost() == null ? 0 : d.lost().count,
        d.retried() == null ? 0 : d.retried().count, requeued));
  }

  private void failQueuedIfNoWorkers() {
    if (scheduler.hasWorkers() || noWorkers == null && (!closing || fleet.replacing())) {
      return; // someone can still run the queue: a worker, or a replacement on its way
    }
    RuntimeException why = noWorkers != null ? noWorkers
        : new RejectedExecutionException("the pool was shut down before this chunk ran");
    for (Batch b : scheduler.drainQueue()) {
      if (b.settle()) {
        b.chunk.fail(b.from, b.count, i -> why);
      }
    }
  }

  /* ---- lifecycle ---- */

  /**
   * Lets accepted chunks finish, then shuts every worker down and waits for it to exit (killing
   * any that does not within a few seconds) and for its output to be forwarded.
   */
  public void close() {
    closing = true;
    fleet.close();
    post(this::failQueuedIfNoWorkers);
    if (live.isEmpty()) {
      drained.complete(null);
    }
    boolean interrupted = false;
    while (true) {
      try {
        drained.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // finish closing, then restore the status
      } catch (ExecutionException e) {
        break;
      }
    }
    interrupted |= stop(false);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills every worker at once. Batches that had not started fail with
   * {@link RejectedExecutionException}, the ones running with {@link WorkerDiedException}.
   *
   * @return the inputs that never started (for a submitted job, the job), in dispatch order
   */
  public List<Object> shutdownNow() {
    closing = true;
    fleet.close();
    CompletableFuture<List<Object>> neverRan = new CompletableFuture<>();
    post(() -> {
      try {
        neverRan.complete(drainNeverRan());
      } catch (RuntimeException | Error e) {
        neverRan.complete(List.of()); // never leave shutdownNow waiting on a failed drain
        throw e;
      }
    });
    List<Object> inputs = neverRan.join();
    boolean interrupted = stop(true);
    try {
      if (!live.isEmpty()) {
        drained.get(DRAIN_WAIT_ON_KILL.toMillis(), TimeUnit.MILLISECONDS); // deaths fail what was running
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("after shutdownNow, {} chunk(s) were still unresolved after {}", live.size(), DRAIN_WAIT_ON_KILL);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return inputs;
  }

  /** Fails the batches that never started (rejected) and returns their inputs; on the loop. */
  private List<Object> drainNeverRan() {
    List<Batch> unstarted = new ArrayList<>(scheduler.drainUnstarted());
    unstarted.addAll(scheduler.drainQueue());
    List<Object> inputs = new ArrayList<>();
    RejectedExecutionException stopped = new RejectedExecutionException("the pool was shut down (shutdownNow) "
        + "before this chunk ran");
    for (Batch b : unstarted) {
      if (b.isCancelled() || !b.settle()) {
        continue;
      }
      for (int i = 0; i < b.count; i++) {
        inputs.add(b.call.isJob() ? b.call.job() : b.chunk.chunk.items().get(b.from + i));
      }
      b.chunk.fail(b.from, b.count, i -> stopped);
    }
    return inputs;
  }

  /** Stops the workers, the trainer and the threads; returns whether it was interrupted. */
  private boolean stop(boolean kill) {
    boolean interrupted = false;
    try {
      fleet.stopAll(kill);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      trainer.stop(kill || interrupted);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    post(this::failQueuedIfNoWorkers);
    shutdownThreads();
    return interrupted;
  }

  private void shutdownThreads() {
    timer.shutdownNow();
    decoder.close();
    loop.shutdown(); // the deaths already posted are still applied, and may still emit events
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("the process pool's event loop did not finish its last events within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close();
  }

  private void post(Runnable r) {
    try {
      loop.execute(() -> {
        try {
          r.run();
          publishHeld();
        } catch (RuntimeException | Error e) {
          LOG.error("the process pool's event loop failed on an event; the pool goes on", e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("event after the pool stopped: dropped");
    }
  }
}
