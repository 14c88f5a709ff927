package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.WorkerDiedException;
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
   */
  public record Settings(int workers, WorkerCommand command, WorkerOutput output, Codec codec,
      byte[] initializer, Duration startTimeout, long maxItemsPerWorker, boolean aotCache) {}

  private final Settings settings;
  private final OutputSink output;
  private final ExecutorService launcher;
  private final Optional<AotCache> aot;
  private volatile Thread trainer;
  private final AtomicReference<Process> training = new AtomicReference<>();
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  /* Everything below is guarded by lock. */
  private final ArrayDeque<Assignment<?>> queue = new ArrayDeque<>();
  private final List<Slot> slots = new ArrayList<>();
  private final Map<WorkerProcess, Slot> byWorker = new HashMap<>();
  private final Set<WorkerProcess> everStarted = new HashSet<>();
  private int starting;
  private boolean closing;

  private WorkerSupervisor(Settings settings) {
    this.settings = settings;
    this.output = new OutputSink(settings.output());
    this.aot = settings.aotCache() ? AotCache.forCommand(settings.command()) : Optional.empty();
    this.launcher = Executors.newSingleThreadExecutor(
        Thread.ofPlatform().daemon().name("multiproc-launcher-" + LAUNCHER_IDS.incrementAndGet()).factory());
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
    s.aot.filter(AotCache::needsTraining).ifPresent(cache -> s.trainer = Thread.ofPlatform().daemon()
        .name("multiproc-aot-" + LAUNCHER_IDS.get())
        .start(() -> cache.train(settings.command(), TRAINING_DEADLINE, s.training::set)));
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
   * Queues a chunk.
   *
   * @param call the call
   * @param chunk the chunk, for item indexes
   * @param payload the TASKS payload
   * @param <R> the result type
   * @return the chunk's future; cancelling it cancels the chunk in its worker
   * @throws RejectedExecutionException if the pool is closing
   */
  public <R> CompletableFuture<ChunkResult<R>> submit(CallState call, Chunk<?> chunk, byte[] payload) {
    Assignment<R> a = new Assignment<>(nextId(), call, chunk, payload);
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
   * Ends a call: workers that hold its task drop it.
   *
   * @param call the call
   */
  public void release(CallState call) {
    synchronized (lock) {
      call.released = true;
      for (Slot s : slots) {
        if (s.defined.remove(call.id)) {
          s.worker.send(FrameType.RELEASE, call.id, new byte[0]);
        }
      }
    }
  }

  private void cancel(Assignment<?> a) {
    synchronized (lock) {
      if (!queue.remove(a) && a.slot != null && !a.slot.worker.isDead()) {
        a.slot.worker.send(FrameType.CANCEL, a.chunkId, new byte[0]);
      }
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
      best.heldItems += a.chunk.size();
      best.worker.send(FrameType.TASKS, a.chunkId, a.payload);
    }
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
    if (a == null) {
      return;
    }
    if (a.future.isDone()) {
      return; // cancelled meanwhile; its results are not wanted
    }
    try {
      a.completeFrom(payload, settings.codec());
    } catch (IOException | RuntimeException e) {
      a.future.completeExceptionally(new IOException("cannot decode the results of worker " + worker.pid()
          + " for chunk " + chunkId + ": " + e, e));
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
        s.itemsRun += a.chunk.size();
        s.heldItems -= a.chunk.size();
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
      replace();
    }
    return a;
  }

  @Override
  public void onDeath(WorkerProcess worker, WorkerProcess.Death death) {
    List<Assignment<?>> lost;
    boolean replace;
    synchronized (lock) {
      Slot s = byWorker.remove(worker);
      if (s == null) {
        return; // retired on purpose, or never ready
      }
      slots.remove(s);
      lost = new ArrayList<>(s.held.values());
      s.held.clear();
      replace = !closing;
      lock.notifyAll();
    }
    if (!replace && lost.isEmpty()) {
      LOG.debug("worker {} exited while the pool closed ({})", death.pid(), death.reason());
      return;
    }
    LOG.warn("worker {} died ({}; exit code {}), failing {} chunk(s) it held{}", death.pid(), death.reason(),
        death.exitCode().isPresent() ? death.exitCode().getAsInt() : "unknown", lost.size(),
        replace ? " and replacing it" : "");
    for (Assignment<?> a : lost) {
      a.failDied(death);
    }
    if (replace) {
      replace();
    }
  }

  private void replace() {
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
            synchronized (lock) {
              if (closing) {
                w.shutdown();
              } else {
                addSlot(w);
              }
            }
            return;
          } catch (WorkerStartException | RejectedExecutionException e) {
            if (attempt >= MAX_START_ATTEMPTS || isClosing()) {
              LOG.error("cannot replace a worker after {} attempt(s)", attempt, e);
              failQueuedIfNoWorkers(e);
              return;
            }
            LOG.warn("replacement worker failed to start (attempt {}); retrying", attempt, e);
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
   * any that does not within a few seconds).
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

  /** Kills every worker at once and fails what they held. */
  public void shutdownNow() {
    synchronized (lock) {
      closing = true;
    }
    stopWorkers(true);
  }

  private void stopWorkers(boolean kill) {
    List<Slot> live;
    List<Assignment<?>> orphans;
    synchronized (lock) {
      live = new ArrayList<>(slots);
      orphans = new ArrayList<>(queue);
      queue.clear();
    }
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
    for (ProcessHandle h : everStarted()) {
      try {
        if (!h.onExit().toCompletableFuture().completeOnTimeout(null, EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(x -> !h.isAlive()).get()) {
          LOG.warn("worker {} did not exit within {}; killing it", h.pid(), EXIT_WAIT);
          h.destroyForcibly();
          h.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
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
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One call's task as the workers see it. */
  public static final class CallState {
    final long id;
    final boolean job;
    final byte[] definePayload;
    boolean released; // guarded by the supervisor's lock

    /**
     * @param id the call id
     * @param timeoutNanos the per-item timeout, or 0
     * @param graceNanos how long a timed-out item may take to stop before its worker is killed
     * @param task the encoded task
     * @param job whether the call is a submitted job (its failures carry no input index)
     */
    public CallState(long id, long timeoutNanos, long graceNanos, byte[] task, boolean job) {
      this.id = id;
      this.job = job;
      PayloadWriter w = new PayloadWriter(16 + task.length);
      w.putLong(timeoutNanos);
      w.putLong(graceNanos);
      w.putBytes(task);
      this.definePayload = w.toByteArray();
    }

    /** @return the call id */
    public long id() {
      return id;
    }
  }

  private static final class Slot {
    final WorkerProcess worker;
    final Map<Long, Assignment<?>> held = new HashMap<>();
    final Set<Long> defined = new HashSet<>();
    long itemsRun;
    long heldItems;
    boolean retiring;

    Slot(WorkerProcess worker) {
      this.worker = worker;
    }

    /** A worker takes no chunk past its item limit: it runs at most limit + chunk size - 1 items. */
    boolean accepts(long maxItems) {
      return !retiring && held.size() < CHUNKS_PER_WORKER && (maxItems == 0 || itemsRun + heldItems < maxItems);
    }
  }

  private static final class Assignment<R> {
    final long chunkId;
    final CallState call;
    final Chunk<?> chunk;
    final byte[] payload;
    final CompletableFuture<ChunkResult<R>> future = new CompletableFuture<>();
    Slot slot; // guarded by the supervisor's lock

    Assignment(long chunkId, CallState call, Chunk<?> chunk, byte[] payload) {
      this.chunkId = chunkId;
      this.call = call;
      this.chunk = chunk;
      this.payload = payload;
    }

    void completeFrom(byte[] results, Codec codec) throws IOException {
      ChunkResult<R> r = ResultsCodec.decode(results, codec);
      if (r.size() != chunk.size()) {
        throw new IOException("worker answered " + r.size() + " item(s) for a chunk of " + chunk.size());
      }
      future.complete(r);
    }

    void failDied(WorkerProcess.Death death) {
      ChunkResult<R> r = new ChunkResult<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        r.fail(i, new WorkerDiedException(call.job ? WorkerDiedException.NO_INDEX : chunk.indexOf(i),
            death.pid(), death.exitCode(), death.stderrTail()));
      }
      future.complete(r);
    }
  }
}
