package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.spi.EventDelivery;
import io.github.multiproc.spi.BackendStats;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * <p>On the loop, the {@link WorkerMessageHandler} applies what workers say, {@link WorkerDeaths}
 * their deaths, {@link UnrunBatches} fails what no worker is left to run, and after each event the
 * {@link StatsSnapshot} publishes what the scheduler holds.
 *
 * <p>No worker's reader thread ever encodes, dispatches or decodes values, and the loop never
 * blocks on I/O or on a decode.
 *
 * <p>Thread safety: the public methods may be called from any thread.
 */
public final class PoolEngine implements WorkerProcess.Listener, Fleet.Listener {

  /** The most batches one worker holds at once: one running, one waiting in its pipe. */
  public static final int BATCHES_PER_WORKER = Scheduler.BATCHES_PER_WORKER;

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);
  }
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final AtomicBoolean SWEPT = new AtomicBoolean();
  private static final Duration DRAIN_WAIT_ON_KILL = Duration.ofSeconds(10);

  private final PoolSettings settings;
  private final int n = IDS.incrementAndGet();
  private final AtomicLong ids = new AtomicLong();
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
      Thread.ofPlatform().daemon().name("multiproc-watchdog-" + n).factory());
  private final EventDelivery events;
  private final Scheduler<WorkerProcess> scheduler;
  private final Fleet fleet;
  private final BatchEncoder encoder;
  private final ResultDecoder decoder;
  private final StatsSnapshot stats;
  private final EventLoop loop;
  private final UnrunBatches unrun;
  private final WorkerMessageHandler messages;
  private final WorkerDeaths deaths;
  private final ParentFaults faults;
  private final Optional<AotCache> aot;
  private final AotTrainer trainer = new AotTrainer();
  private final Set<PoolRun<?>> live = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean closing;

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
    TasksRecycler recycler = settings.faultInjector() == null ? new TasksRecycler() : null; // faults may repeat a frame
    this.encoder = new BatchEncoder(settings.codec(), this::nextId, settings.largePayloadThreshold(), recycler);
    this.decoder = new ResultDecoder(settings.codec(), settings.resultDecodeTimeout(), timer, recycler);
    this.stats = new StatsSnapshot(scheduler, fleet);
    this.loop = new EventLoop(n, stats::publish);
    this.unrun = new UnrunBatches(scheduler, fleet, () -> closing);
    FailedItemEvents failures = new FailedItemEvents(events);
    this.messages = new WorkerMessageHandler(settings, scheduler, fleet, encoder, decoder, faults, failures);
    this.deaths = new WorkerDeaths(scheduler, fleet, failures, unrun, () -> closing);
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
    return stats.stats();
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
        unrun.failQueuedIfNoWorkers();
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
        unrun.workerReady();
        scheduler.workerReady(worker);
      }
    });
  }

  @Override
  public void replacementFailed(RuntimeException cause) {
    post(() -> unrun.replacementFailed(cause));
  }

  /* ---- what workers say (their reader threads), applied in order on the loop ---- */

  @Override
  public void onMessage(WorkerProcess worker, WorkerMessage message) {
    post(() -> messages.apply(worker, message));
  }

  @Override
  public void onDeath(WorkerProcess worker, WorkerDeath death) {
    post(() -> deaths.died(worker, death));
  }

  /* ---- lifecycle ---- */

  /**
   * Lets accepted chunks finish, then shuts every worker down and waits for it to exit (killing
   * any that does not within a few seconds) and for its output to be forwarded.
   */
  public void close() {
    closing = true;
    fleet.close();
    post(unrun::failQueuedIfNoWorkers);
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
        neverRan.complete(unrun.drainNeverRan());
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
      Log.LOG.warn("after shutdownNow, {} chunk(s) were still unresolved after {}", live.size(), DRAIN_WAIT_ON_KILL);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
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
    post(unrun::failQueuedIfNoWorkers);
    shutdownThreads();
    return interrupted;
  }

  private void shutdownThreads() {
    timer.shutdownNow();
    decoder.close();
    loop.shutdown(); // the deaths already posted are still applied, and may still emit events
    events.close();
  }

  private void post(Runnable event) {
    loop.post(event);
  }
}
