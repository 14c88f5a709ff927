package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that starts a pool's worker processes ({@code multiproc-launcher-n}), and the
 * pool's first workers, started as soon as their command line is known.
 *
 * <p>{@link #start} is called before the rest of the pool is set up (its codec, its logging, its
 * engine and threads), so that the workers' JVMs start while the parent still loads and
 * initializes its own classes: on a cold parent the two overlap instead of adding up
 * (docs/performance-log.md, "The first second, continued"). Nothing on the thread's way to the
 * first spawn initializes SLF4J or FFM: it works out the AOT cache's flags, creates the pipes of
 * all the first workers with one {@code mkfifo} process, and starts their JVMs one after another.
 *
 * <p>The thread lives as long as the pool: Linux ties a child's parent-death signal to the thread
 * that started it.
 *
 * <p>Thread safety: {@link #spawn} and {@link #shutdown} may be called from any thread;
 * {@link #takeFirst} once, by the pool's owner.
 */
public final class Launcher {

  private static final AtomicInteger IDS = new AtomicInteger();

  private final WorkerCommand command;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("multiproc-launcher-" + IDS.incrementAndGet()).factory());
  private final CompletableFuture<Optional<AotCache>> aot = new CompletableFuture<>();
  private final CompletableFuture<List<String>> extraArgs = new CompletableFuture<>();
  private final List<CompletableFuture<Spawned>> first = new ArrayList<>();
  private List<WorkerPipes> firstPipes; // launcher thread only: the first workers' pipes, made at once
  private Exception firstPipesFailure; // launcher thread only: why they could not be, for every first spawn

  private Launcher(WorkerCommand command) {
    this.command = command;
  }

  /**
   * Starts the launcher thread and, on it, the pool's first {@code workers} processes.
   *
   * @param command the workers' command line
   * @param workers how many to start now
   * @param aotCache whether workers start from (and the pool trains) the JDK AOT cache
   * @param workerProperties {@code -D} arguments the pool's settings add ({@link PoolSettings#workerProperties})
   * @return the launcher; the processes are being started
   */
  public static Launcher start(WorkerCommand command, int workers, boolean aotCache, List<String> workerProperties) {
    Launcher l = new Launcher(command);
    l.thread.execute(() -> {
      try {
        Optional<AotCache> cache = aotCache ? AotCache.forCommand(command) : Optional.empty();
        List<String> args = new ArrayList<>(CrashReports.jvmArgs());
        args.addAll(cache.map(AotCache::workerArgs).orElse(List.of()));
        args.addAll(workerProperties);
        l.aot.complete(cache);
        l.extraArgs.complete(List.copyOf(args));
      } catch (RuntimeException | Error e) { // every spawn then fails with it, and nothing waits forever
        l.aot.completeExceptionally(e);
        l.extraArgs.completeExceptionally(e);
        throw e;
      }
    });
    for (int i = 0; i < workers; i++) {
      l.first.add(l.spawnFirst(i, workers));
    }
    return l;
  }

  /** Starts first worker {@code i} of {@code n}, on pipes the first of them made for all. */
  private CompletableFuture<Spawned> spawnFirst(int i, int n) {
    return CompletableFuture.supplyAsync(() -> {
      long startedNanos = System.nanoTime();
      try {
        List<String> args = extraArgs.join();
        if (firstPipes == null && firstPipesFailure == null) {
          try {
            firstPipes = WorkerPipes.createAll(n);
          } catch (IOException | RuntimeException e) { // tried once: a later first spawn must not make a second set
            firstPipesFailure = e;
          }
        }
        if (firstPipesFailure != null) {
          throw new java.util.concurrent.CompletionException(firstPipesFailure);
        }
        return Spawned.start(command, args, firstPipes.get(i), startedNanos);
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, thread);
  }

  /** @return the AOT cache the workers start from, if any (waits for the launcher's first step) */
  Optional<AotCache> aotCache() {
    return aot.join();
  }

  /** @return the JVM arguments added to the command (crash reports, AOT cache, settings; waits like {@link #aotCache}) */
  List<String> extraArgs() {
    return extraArgs.join();
  }

  /**
   * Starts one worker process on the launcher thread.
   *
   * @return completes with the process and its pipes, or with the {@link IOException} or
   *     {@link RuntimeException} that kept it from starting; fails with
   *     {@link java.util.concurrent.RejectedExecutionException} after {@link #shutdown}
   */
  CompletableFuture<Spawned> spawn() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return Spawned.start(command, extraArgs.join());
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, thread);
  }

  /** @return the first workers' processes, being started; the caller owns them from now on */
  List<CompletableFuture<Spawned>> takeFirst() {
    List<CompletableFuture<Spawned>> taken = List.copyOf(first);
    first.clear();
    return taken;
  }

  /**
   * Gives up before the pool took its first workers: kills those started (or when they start),
   * deletes their pipes, and ends the thread.
   */
  public void abandon() {
    for (CompletableFuture<Spawned> f : takeFirst()) {
      f.thenAccept(Spawned::kill);
    }
    shutdown();
  }

  /** Ends the thread once what was asked of it is done; later spawns fail. */
  void shutdown() {
    thread.shutdown();
  }
}
