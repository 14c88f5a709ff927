package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.ToWorker;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's side of one live worker JVM: its process, its protocol pipes
 * ({@link WorkerPipes}), and four threads that own them.
 *
 * <pre>
 *   multiproc-writer-n   outbound queue ──▶ to-worker FIFO (frames; flushed when the queue is empty): {@link WorkerWriter}
 *   multiproc-reader-n   to-parent FIFO ──▶ HELLO, then {@link WorkerMessage}s ──▶ {@link Listener}: {@link WorkerReader}
 *   multiproc-stdout-n   worker stdout pipe ──▶ {@link OutputSink}
 *   multiproc-stderr-n   worker stderr pipe ──▶ tail + {@link OutputSink}
 * </pre>
 *
 * <p>The worker's stdin is closed at once (it reads end of stream, as from {@code /dev/null}).
 * Its stdout and stderr carry only what the JVM and the user's code print, never a frame.
 *
 * <p>The worker's death is reported exactly once to {@link Listener#onDeath}, and always after
 * every message the worker wrote before it died: by the reader thread once the protocol pipe
 * ends (EOF) or its frames break, or, if end of stream never comes (another process inherited
 * the pipe), by a reaper once the process has exited and the reader has drained the pipe. The
 * report waits up to {@link #DEATH_DETAIL_WAIT} for the exit code and the last stderr lines. The
 * reader only reads: it decodes message headers, never values, so a slow or hostile result can
 * never keep it from hearing the worker.
 *
 * <p>Thread safety: {@link #send} and the lifecycle methods may be called from any thread; they
 * never block on I/O (frames go through the writer thread's queue).
 */
public final class WorkerProcess implements ToWorker {

  /** How long a death report waits for the exit code and the stderr tail. */
  static final Duration DEATH_DETAIL_WAIT = Duration.ofMillis(300);

  /**
   * How long a reaper waits for the reader to reach end of stream after the process exited:
   * everything the worker wrote is in the pipe by then, and reading it takes far less.
   */
  static final Duration READER_DRAIN_WAIT = Duration.ofSeconds(1);

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
  }
  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * What the worker tells its owner, in the order it wrote it; the death comes last. Called on
   * the worker's reader thread (or its reaper), never under a lock of this class; an
   * implementation hands the work to another thread and returns.
   */
  public interface Listener {
    /** @param worker the worker @param message a message it sent (not a PONG) */
    void onMessage(WorkerProcess worker, WorkerMessage message);

    /** @param worker the worker, now dead @param death why */
    void onDeath(WorkerProcess worker, WorkerDeath death);
  }

  private final int id;
  private final Process process;
  private final WorkerPipes pipes;
  private final long pid;
  private final Listener listener;
  private final OutputSink output;
  private final StderrTail tail = new StderrTail();
  private final CompletableFuture<Hello> ready = new CompletableFuture<>();
  private final AtomicBoolean dead = new AtomicBoolean();
  private final WorkerWriter writer;
  private final WorkerReader reader;
  private final Thread stderrThread;
  private final Thread stdoutThread;
  private final Thread readerThread;
  private volatile String killedBecause;

  private WorkerProcess(Process process, WorkerPipes pipes, Listener listener, OutputSink output) {
    this.id = IDS.incrementAndGet();
    this.process = process;
    this.pipes = pipes;
    this.pid = process.pid();
    this.listener = listener;
    this.output = output;
    this.writer = new WorkerWriter(pipes, pid);
    this.reader = new WorkerReader(this, process, pipes, writer, listener, ready);
    closeQuietly(process.getOutputStream()); // the worker's stdin: it reads end of stream
    this.stdoutThread = Thread.ofPlatform().daemon().name("multiproc-stdout-" + id).start(this::pumpStdout);
    this.stderrThread = Thread.ofPlatform().daemon().name("multiproc-stderr-" + id).start(this::pumpStderr);
    this.readerThread = reader.start(id);
    writer.start(id);
    process.onExit().thenRun(() -> {
      pipes.close(); // a worker that exits before connecting: its reader reads EOF, its writer stops
      // a worker can exit while something else holds its stdout open; EOF then never comes
      if (!dead.get()) {
        Thread.ofPlatform().daemon().name("multiproc-reaper-" + id).start(this::reap);
      }
    });
  }

  /**
   * Creates the worker's protocol pipes and starts the worker. Call it on a thread that lives as
   * long as the worker: on Linux the worker asks to be killed when the thread that started it
   * ends ({@code PR_SET_PDEATHSIG}).
   *
   * @param command the worker's command
   * @param aotCacheArgs the AOT cache flags, possibly empty
   * @param listener told of results and the death
   * @param output where its output goes
   * @return the worker, not yet ready (see {@link #ready()})
   * @throws IOException if the pipes or the process cannot be created
   */
  public static WorkerProcess start(WorkerCommand command, List<String> aotCacheArgs, Listener listener,
      OutputSink output) throws IOException {
    return attach(Spawned.start(command, aotCacheArgs), listener, output);
  }

  /**
   * Takes over a worker process just started: its threads read its frames and output.
   *
   * @param spawned the process and its pipes
   * @param listener told of results and the death
   * @param output where its output goes
   * @return the worker, not yet ready (see {@link #ready()})
   */
  static WorkerProcess attach(Spawned spawned, Listener listener, OutputSink output) {
    return new WorkerProcess(spawned.process(), spawned.pipes(), listener, output);
  }

  /** @return completes with the worker's HELLO, or exceptionally if it died first */
  public CompletableFuture<Hello> ready() {
    return ready;
  }

  /** @return the worker's pid */
  public long pid() {
    return pid;
  }

  /** @return whether the worker's death was reported */
  public boolean isDead() {
    return dead.get();
  }

  /** @return the last lines of the worker's stderr */
  public String stderrTail() {
    return tail.text();
  }

  /** @return the bytes the worker wrote to its protocol pipe first (for a failed handshake) */
  String firstProtocolBytes() {
    return reader.firstBytes();
  }

  /**
   * Queues a message for the worker; never blocks.
   *
   * @param message the message
   */
  @Override
  public void send(ParentMessage message) {
    writer.send(message);
  }

  /** Queues SHUTDOWN: the worker finishes what it holds and exits; its stdin is closed after. */
  public void shutdown() {
    writer.shutdown();
  }

  /**
   * How long the worker has left a frame unfinished since its first byte.
   *
   * @param now {@link System#nanoTime()}
   * @return nanoseconds since the first byte of an unfinished frame, or 0 if no frame is unfinished
   */
  public long unfinishedFrameNanos(long now) {
    return reader.unfinishedFrameNanos(now);
  }

  /**
   * @param now {@link System#nanoTime()}
   * @return the rate (bytes per second) at which the unfinished frame has arrived, 0 between frames
   */
  public double unfinishedFrameBytesPerSecond(long now) {
    return reader.unfinishedFrameBytesPerSecond(now);
  }

  /** @return how many bytes of the unfinished frame have arrived (for the kill reason) */
  public long unfinishedFrameBytes() {
    return reader.unfinishedFrameBytes();
  }

  /** Kills the process (SIGKILL) at once. */
  public void kill() {
    process.destroyForcibly();
    writer.stop();
  }

  /**
   * Kills the process (SIGKILL) at once and says why in its death report.
   *
   * @param because why the pool kills it, for the death report and the items' exceptions
   */
  public void kill(String because) {
    if (killedBecause == null && !dead.get()) {
      killedBecause = because;
      Log.LOG.warn("worker {}: killing it: {}", pid, because);
    }
    kill();
  }

  /**
   * Freezes the process ({@code SIGSTOP}), for fault injection: it neither exits nor answers.
   */
  public void freeze() {
    Signals.stop(pid);
  }

  /** @return {@link System#nanoTime()} when the worker's last frame arrived */
  public long lastHeardNanos() {
    return reader.lastHeardNanos();
  }

  /**
   * Waits until everything the worker wrote to its output (stdout and stderr) was read and
   * forwarded, which happens once its pipes reach EOF (the process exited).
   *
   * @param timeout how long at most
   * @throws InterruptedException if interrupted
   */
  public void awaitOutput(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    readerThread.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    stderrThread.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    stdoutThread.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
  }

  /**
   * Waits for the process to exit.
   *
   * @param timeout how long
   * @return whether it exited
   * @throws InterruptedException if interrupted
   */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** @return the exit code if the process has exited, else empty */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** @return the process handle */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * The process exited but its pipe did not end (another process holds its writing end): once
   * the reader has read everything the worker wrote, or after a bounded wait, report the death.
   */
  private void reap() {
    try {
      reader.done().get(READER_DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS); // the reader reported it
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      Log.LOG.debug("worker {}: exited; its protocol pipe is still open elsewhere", pid);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // report now
    }
    reportDeath("the process exited");
  }

  /** @return whether the pool killed the worker on purpose (see {@link #kill(String)}) */
  boolean killedByPool() {
    return killedBecause != null;
  }

  /**
   * Reports the worker's death to the listener, the first time only: waits up to
   * {@link #DEATH_DETAIL_WAIT} for its exit code and last stderr lines.
   *
   * @param reason what ended it, as the reader or the reaper saw it
   */
  void reportDeath(String reason) {
    if (!dead.compareAndSet(false, true)) {
      return;
    }
    writer.stop();
    OptionalInt exitCode = OptionalInt.empty();
    try {
      if (process.waitFor(DEATH_DETAIL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        exitCode = OptionalInt.of(process.exitValue());
      }
      stderrThread.join(DEATH_DETAIL_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // report at once with what is known
    }
    String crash = CrashReports.describe(pid, exitCode);
    String stderr = crash.isEmpty() ? tail.text() : tail.text() + (tail.text().isEmpty() ? "" : "\n") + crash;
    WorkerDeath death = new WorkerDeath(pid, exitCode, stderr, crash.isEmpty() ? reason : reason + "; it crashed",
        killedBecause, reader.protocolBreak());
    ready.completeExceptionally(new IOException("worker " + pid + " died before it was ready: " + reason));
    listener.onDeath(this, death);
  }

  private void pumpStdout() {
    OutputPump.run(process.getInputStream(), line -> output.stdout(pid, line));
  }

  private void pumpStderr() {
    OutputPump.run(process.getErrorStream(), line -> {
      tail.add(line);
      output.stderr(pid, line);
    });
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to release
    }
  }

  @Override
  public String toString() {
    return "worker[pid=" + pid + (dead.get() ? ", dead" : "") + "]";
  }
}
