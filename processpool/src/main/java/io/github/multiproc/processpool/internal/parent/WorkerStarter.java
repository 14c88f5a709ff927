package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.PoolEvent;
import io.github.multiproc.processpool.WorkerStartException;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.spi.EventDelivery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a {@link Fleet}'s workers running: attaches each process the {@link Launcher} spawned,
 * enters it in the fleet, sends it the fault injector and the initializer, and waits for its
 * HELLO — for the first workers all together under one deadline, for a replacement on a thread of
 * its own ({@code multiproc-replacer-<pid>}) with up to {@link Fleet#MAX_START_ATTEMPTS} tries.
 *
 * <p>Thread safety: thread-safe; its state is the fleet's, under the fleet's lock.
 */
final class WorkerStarter {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerStarter.class);
  }

  private final PoolSettings settings;
  private final Fleet fleet;
  private final WorkerProcess.Listener messages;
  private final OutputSink output;
  private final EventDelivery events;
  private final Launcher launcher;

  WorkerStarter(PoolSettings settings, Fleet fleet, WorkerProcess.Listener messages, OutputSink output,
      EventDelivery events, Launcher launcher) {
    this.settings = settings;
    this.fleet = fleet;
    this.messages = messages;
    this.output = output;
    this.events = events;
    this.launcher = launcher;
  }

  /**
   * Starts {@code n} workers in parallel and waits until every one said HELLO, under one deadline.
   *
   * @throws WorkerStartException naming what happened to the first worker that failed; every
   *     worker started is killed before it is thrown
   */
  void startFirst(int n) {
    List<WorkerProcess> started = new ArrayList<>();
    List<CompletableFuture<Spawned>> first = launcher.takeFirst();
    try {
      for (int i = 0; i < n; i++) {
        started.add(launch(0, i < first.size() ? first.get(i) : launcher.spawn()));
      }
      long deadline = System.nanoTime() + settings.startTimeout().toNanos();
      CompletableFuture<?> all = CompletableFuture.allOf(started.stream().map(WorkerProcess::ready)
          .toArray(CompletableFuture[]::new));
      try {
        all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        WorkerProcess failed = started.stream().filter(w -> w.ready().isCompletedExceptionally()).findFirst()
            .orElseThrow();
        throw new WorkerStartException(StartDiagnostics.diedAtStart(settings, failed), e.getCause());
      } catch (TimeoutException e) {
        WorkerProcess late = started.stream().filter(w -> !w.ready().isDone()).findFirst().orElseThrow();
        throw new WorkerStartException(StartDiagnostics.timedOut(settings, late), e);
      }
    } catch (InterruptedException e) {
      abandonStart(first, started);
      launcher.shutdown();
      Thread.currentThread().interrupt();
      throw new WorkerStartException("interrupted while starting the pool's workers", e);
    } catch (RuntimeException | Error e) {
      abandonStart(first, started);
      launcher.shutdown();
      throw e;
    }
    for (WorkerProcess w : started) {
      fleet.ready(w);
    }
  }

  /**
   * The pool's start failed: nothing more starts or is replaced, and every worker launched is
   * killed, a replacement already under way for a first worker that died included.
   */
  private void abandonStart(List<CompletableFuture<Spawned>> first, List<WorkerProcess> started) {
    fleet.close();
    boolean interrupted = Thread.interrupted(); // the clean-up waits even for an interrupted caller
    try {
      Set<WorkerProcess> all = new LinkedHashSet<>(started);
      all.addAll(fleet.attached());
      WorkerExits.killAll(new ArrayList<>(all));
      interrupted |= Thread.interrupted();
      killUnattached(first, started.size());
      fleet.awaitReplacementsEnded(WorkerExits.EXIT_WAIT);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The first workers from {@code from} on were started (or are being started) but not attached:
   * each is killed, and waited for, once its spawn is over, so that none outlives the failed start.
   */
  private static void killUnattached(List<CompletableFuture<Spawned>> first, int from) throws InterruptedException {
    for (int i = from; i < first.size(); i++) {
      Spawned spawned;
      try {
        spawned = first.get(i).get(WorkerExits.EXIT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        continue; // it never started
      } catch (TimeoutException e) {
        first.get(i).thenAccept(Spawned::kill); // a spawn stuck that long: kill it when it returns
        Log.LOG.warn("a worker of the failed start was still being spawned after {}", WorkerExits.EXIT_WAIT);
        continue;
      }
      spawned.kill();
      spawned.process().waitFor(WorkerExits.EXIT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Starts a replacement for a worker in the background, trying up to
   * {@link Fleet#MAX_START_ATTEMPTS} times unless the fleet closes; the fleet is told when it is
   * ready, or that it failed. The fleet counted the replacement as under way before this call.
   *
   * @param old the worker replaced
   */
  void replace(WorkerProcess old) {
    Thread.ofPlatform().daemon().name("multiproc-replacer-" + old.pid()).start(() -> {
      try {
        for (int attempt = 1; ; attempt++) {
          try {
            WorkerProcess w = launch(old.pid());
            w.ready().get(settings.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (fleet.isClosed()) { // the pool closed, or its start failed, while this one started
              w.kill();
              return;
            }
            Log.LOG.info("worker {} replaces worker {}", w.pid(), old.pid());
            fleet.ready(w);
            events.emit(new PoolEvent.WorkerReplaced(w.pid(), old.pid()));
            return;
          } catch (WorkerStartException | ExecutionException | TimeoutException e) {
            if (fleet.isClosed()) {
              return;
            }
            if (attempt >= Fleet.MAX_START_ATTEMPTS) {
              Log.LOG.error("cannot replace worker {} after {} attempt(s)", old.pid(), attempt, e);
              fleet.replacementFailed(e instanceof RuntimeException r ? r
                  : new WorkerStartException("a replacement worker did not start: " + e, e));
              return;
            }
            Log.LOG.warn("replacement for worker {} failed to start (attempt {}); retrying", old.pid(), attempt, e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      } finally {
        fleet.replacementEnded();
      }
    });
  }

  private WorkerProcess launch(long replacesPid) {
    if (fleet.isClosed()) {
      throw new WorkerStartException("the pool is closing", null);
    }
    CompletableFuture<Spawned> spawning;
    try {
      spawning = launcher.spawn();
    } catch (java.util.concurrent.RejectedExecutionException e) { // closed since the check above
      throw new WorkerStartException("the pool is closing", e);
    }
    return launch(replacesPid, spawning);
  }

  private WorkerProcess launch(long replacesPid, CompletableFuture<Spawned> spawning) {
    long launchedNanos;
    WorkerProcess w;
    try {
      Spawned spawned = spawning.get();
      launchedNanos = spawned.startedNanos();
      w = WorkerProcess.attach(spawned, messages, output);
    } catch (ExecutionException e) {
      throw new WorkerStartException(StartDiagnostics.cannotStart(settings.command(), e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerStartException("interrupted while starting a worker", e);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new WorkerStartException("the pool is closing", e);
    }
    if (!fleet.launched(w, launchedNanos, replacesPid)) { // closed while it was spawned: it must not outlive the pool
      WorkerExits.killAll(List.of(w));
      throw new WorkerStartException("the pool is closing", null);
    }
    settings.faults().ifPresent(f -> w.send(new ParentMessage.InjectFaults(f)));
    settings.initializer().ifPresent(i -> w.send(new ParentMessage.Initialize(i)));
    return w;
  }
}
