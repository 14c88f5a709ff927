package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameException;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.processpool.internal.protocol.MessageType;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ToWorker;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.processpool.ProtocolException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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
 *   multiproc-writer-n   outbound queue ──▶ to-worker FIFO (frames; flushed when the queue is empty)
 *   multiproc-reader-n   to-parent FIFO ──▶ HELLO, then {@link WorkerMessage}s ──▶ {@link Listener}
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

  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Object SHUTDOWN = new Object();
  private static final Object STOP = new Object();

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
  private final CompletableFuture<Void> readerDone = new CompletableFuture<>();
  private final LinkedBlockingQueue<Object> outbound = new LinkedBlockingQueue<>();
  private final AtomicBoolean dead = new AtomicBoolean();
  private final Thread stderrThread;
  private final Thread stdoutThread;
  private final RecordingInputStream stdout;
  private final Thread readerThread;
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile String killedBecause;
  private volatile WorkerDeath.ProtocolBreak protocolBreak;

  private WorkerProcess(Process process, WorkerPipes pipes, Listener listener, OutputSink output) {
    this.id = IDS.incrementAndGet();
    this.process = process;
    this.pipes = pipes;
    this.pid = process.pid();
    this.listener = listener;
    this.output = output;
    // buffered below the recorder: a frame costs one read(2), not three, and the recorder sees what the reader took
    this.stdout = new RecordingInputStream(new BufferedInputStream(pipes.input(), 1 << 16), ProtocolException.DUMP_BYTES);
    closeQuietly(process.getOutputStream()); // the worker's stdin: it reads end of stream
    this.stdoutThread = Thread.ofPlatform().daemon().name("multiproc-stdout-" + id).start(this::pumpStdout);
    this.stderrThread = Thread.ofPlatform().daemon().name("multiproc-stderr-" + id).start(this::pumpStderr);
    this.readerThread = Thread.ofPlatform().daemon().name("multiproc-reader-" + id).start(this::readLoop);
    Thread.ofPlatform().daemon().name("multiproc-writer-" + id).start(this::writeLoop);
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
    WorkerPipes pipes = WorkerPipes.create();
    try {
      Process p = command.processBuilder(ProcessHandle.current().pid(), aotCacheArgs, pipes).start();
      return new WorkerProcess(p, pipes, listener, output);
    } catch (IOException | RuntimeException e) {
      pipes.close();
      throw e;
    }
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
    return stdout.describe();
  }

  /**
   * Queues a message for the worker; never blocks.
   *
   * @param message the message
   */
  @Override
  public void send(ParentMessage message) {
    outbound.add(message instanceof ParentMessage.Shutdown ? SHUTDOWN : message.toFrame());
  }

  /** Queues SHUTDOWN: the worker finishes what it holds and exits; its stdin is closed after. */
  public void shutdown() {
    outbound.add(SHUTDOWN);
  }

  /**
   * How long the worker has left a frame unfinished since its first byte.
   *
   * @param now {@link System#nanoTime()}
   * @return nanoseconds since the first byte of an unfinished frame, or 0 if no frame is unfinished
   */
  public long unfinishedFrameNanos(long now) {
    return stdout.unfinishedFrameNanos(now);
  }

  /**
   * @param now {@link System#nanoTime()}
   * @return the rate (bytes per second) at which the unfinished frame has arrived, 0 between frames
   */
  public double unfinishedFrameBytesPerSecond(long now) {
    return stdout.unfinishedFrameBytesPerSecond(now);
  }

  /** @return how many bytes of the unfinished frame have arrived (for the kill reason) */
  public long unfinishedFrameBytes() {
    return stdout.unfinishedFrameBytes();
  }

  /** Kills the process (SIGKILL) at once. */
  public void kill() {
    process.destroyForcibly();
    outbound.add(STOP);
  }

  /**
   * Kills the process (SIGKILL) at once and says why in its death report.
   *
   * @param because why the pool kills it, for the death report and the items' exceptions
   */
  public void kill(String because) {
    if (killedBecause == null && !dead.get()) {
      killedBecause = because;
      LOG.warn("worker {}: killing it: {}", pid, because);
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
    return lastHeardNanos;
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

  private void writeLoop() {
    FrameWriter writer;
    try {
      writer = new FrameWriter(new BufferedOutputStream(pipes.openOutput(), 1 << 16), Frames.DEFAULT_MAX_FRAME_BYTES);
    } catch (IOException e) {
      LOG.debug("worker {}: never connected: {}", pid, e.toString()); // the reader reports the death
      return;
    }
    try {
      while (true) {
        Object next = outbound.take();
        while (next != null) {
          if (next == STOP) {
            return;
          }
          if (next == SHUTDOWN) {
            writer.write(new ParentMessage.Shutdown().toFrame());
            writer.close();
            return;
          }
          Frame f = (Frame) next;
          writer.write(f.type(), f.correlationId(), f.payload(), 0, f.payload().length);
          next = outbound.poll();
        }
        writer.flush();
      }
    } catch (IOException e) {
      // the pipe broke: the worker is dying, and the reader reports the death
      LOG.debug("worker {}: write failed: {}", pid, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // only pool shutdown interrupts this thread; end it
    } finally {
      try {
        writer.close();
      } catch (IOException e) {
        // already broken
      }
    }
  }

  private void readLoop() {
    FrameReader reader = new FrameReader(stdout, Frames.DEFAULT_MAX_FRAME_BYTES, MessageType.DIALECT);
    String reason;
    try {
      Frame hello = reader.read();
      if (hello == null) {
        pipes.close();
        reportDeath("it closed its protocol pipe (or exited before connecting) before saying HELLO");
        return;
      }
      if (hello.type() != MessageType.HELLO) {
        throw new FrameException("expected HELLO, got " + hello.type().name());
      }
      lastHeardNanos = System.nanoTime();
      pipes.connected(); // the worker has both its ends open: drop the hold, delete the FIFOs
      Hello h = Hello.fromFrame(hello);
      h.negotiate(Protocol.HELLO_RANGE); // ProtocolMismatchException (a FrameException) if none
      ready.complete(h);
      while (true) {
        stdout.frameStarts();
        Frame f = reader.read();
        stdout.frameEnded();
        if (f == null) {
          reason = "its protocol pipe ended (EOF)";
          break;
        }
        lastHeardNanos = System.nanoTime();
        WorkerMessage m = WorkerMessage.fromFrame(f);
        if (!(m instanceof WorkerMessage.Pong)) { // a PONG is liveness only
          listener.onMessage(this, m);
        }
      }
    } catch (IOException e) {
      String dump = stdout.lastBytes();
      reason = "its protocol stream broke: " + e.getMessage() + "; last bytes read: " + dump
          + "; first bytes: " + stdout.describe();
      if (e instanceof FrameException && !dead.get() && ready.isDone() && killedBecause == null) {
        protocolBreak = new WorkerDeath.ProtocolBreak(e.getMessage(), dump, e);
      }
      LOG.warn("worker {}: {}", pid, reason);
      process.destroyForcibly();
    } catch (RuntimeException | Error e) { // a listener's bug or a broken class path: report, never hang
      reason = "the parent failed handling its frames: " + e;
      LOG.error("worker {}: {}", pid, reason, e);
      process.destroyForcibly();
    }
    pipes.close();
    closeQuietly(stdout);
    reportDeath(reason);
    readerDone.complete(null);
  }

  /**
   * The process exited but its pipe did not end (another process holds its writing end): once
   * the reader has read everything the worker wrote, or after a bounded wait, report the death.
   */
  private void reap() {
    try {
      readerDone.get(READER_DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS); // the reader reported it
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      LOG.debug("worker {}: exited; its protocol pipe is still open elsewhere", pid);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // report now
    }
    reportDeath("the process exited");
  }

  private void reportDeath(String reason) {
    if (!dead.compareAndSet(false, true)) {
      return;
    }
    outbound.add(STOP);
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
        killedBecause, protocolBreak);
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

  private static void closeQuietly(java.io.Closeable c) {
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
