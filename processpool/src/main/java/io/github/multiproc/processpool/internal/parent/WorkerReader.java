package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameException;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.internal.protocol.MessageType;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading side of one worker's protocol: the thread ({@code multiproc-reader-n}) that reads
 * the to-parent pipe — HELLO, which completes the worker's {@link WorkerProcess#ready()}, then
 * {@link WorkerMessage}s for the {@link WorkerProcess.Listener} — and, when the pipe ends or its
 * frames break, has the worker report its death. It only reads: it decodes message headers, never
 * values. It also keeps what the watchdog asks: when the worker was last heard, and how an
 * unfinished frame is arriving.
 *
 * <p>Thread safety: the reading runs on its own thread; the getters may be called from any thread.
 */
final class WorkerReader {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerReader.class);
  }

  private final WorkerProcess worker;
  private final Process process;
  private final WorkerPipes pipes;
  private final WorkerWriter writer;
  private final WorkerProcess.Listener listener;
  private final CompletableFuture<Hello> ready;
  private final RecordingInputStream input;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile WorkerDeath.ProtocolBreak protocolBreak;

  /**
   * @param worker the worker read, told of its death
   * @param process its process
   * @param pipes its protocol pipes
   * @param writer its writer, which must have opened its end before the pipes are connected
   * @param listener told of its messages
   * @param ready completed with its HELLO
   */
  WorkerReader(WorkerProcess worker, Process process, WorkerPipes pipes, WorkerWriter writer,
      WorkerProcess.Listener listener, CompletableFuture<Hello> ready) {
    this.worker = worker;
    this.process = process;
    this.pipes = pipes;
    this.writer = writer;
    this.listener = listener;
    this.ready = ready;
    // buffered below the recorder: a frame costs one read(2), not three, and the recorder sees what the reader took
    this.input = new RecordingInputStream(new BufferedInputStream(pipes.input(), 1 << 16), ProtocolException.DUMP_BYTES);
  }

  /**
   * Starts the reader thread.
   *
   * @param id the worker's number in this JVM, for the thread's name
   * @return the thread
   */
  Thread start(int id) {
    return Thread.ofPlatform().daemon().name("multiproc-reader-" + id).start(this::readLoop);
  }

  /** @return completes once the reader has read to the end and reported the death */
  CompletableFuture<Void> done() {
    return done;
  }

  /** @return {@link System#nanoTime()} when the worker's last frame arrived */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** @return how the worker broke the protocol after its HELLO, or null */
  WorkerDeath.ProtocolBreak protocolBreak() {
    return protocolBreak;
  }

  /** @return the bytes the worker wrote to its protocol pipe first (for a failed handshake) */
  String firstBytes() {
    return input.describe();
  }

  /** @param now {@link System#nanoTime()} @return nanoseconds since an unfinished frame's first byte, or 0 */
  long unfinishedFrameNanos(long now) {
    return input.unfinishedFrameNanos(now);
  }

  /** @param now {@link System#nanoTime()} @return the rate (bytes per second) of the unfinished frame, 0 between frames */
  double unfinishedFrameBytesPerSecond(long now) {
    return input.unfinishedFrameBytesPerSecond(now);
  }

  /** @return how many bytes of the unfinished frame have arrived */
  long unfinishedFrameBytes() {
    return input.unfinishedFrameBytes();
  }

  private void readLoop() {
    FrameReader reader = new FrameReader(input, Frames.DEFAULT_MAX_FRAME_BYTES, MessageType.DIALECT);
    String reason;
    try {
      Frame hello = reader.read();
      if (hello == null) {
        pipes.close();
        worker.reportDeath("it closed its protocol pipe (or exited before connecting) before saying HELLO");
        return;
      }
      if (hello.type() != MessageType.HELLO) {
        throw new FrameException("expected HELLO, got " + hello.type().name());
      }
      lastHeardNanos = System.nanoTime();
      // the worker has both its ends open: drop the hold, delete the FIFOs; but not before this
      // side's writer opened to-worker, or the worker would read the end of stream of a FIFO with
      // no writer left (a worker started before the pool was set up can say HELLO before that)
      writer.awaitOpened();
      pipes.connected();
      Hello h = Hello.fromFrame(hello);
      h.negotiate(Protocol.HELLO_RANGE); // ProtocolMismatchException (a FrameException) if none
      ready.complete(h);
      while (true) {
        input.frameStarts();
        Frame f = reader.read();
        input.frameEnded();
        if (f == null) {
          reason = "its protocol pipe ended (EOF)";
          break;
        }
        lastHeardNanos = System.nanoTime();
        WorkerMessage m = WorkerMessage.fromFrame(f);
        if (!(m instanceof WorkerMessage.Pong)) { // a PONG is liveness only
          listener.onMessage(worker, m);
        }
      }
    } catch (IOException e) {
      String dump = input.lastBytes();
      reason = "its protocol stream broke: " + e.getMessage() + "; last bytes read: " + dump
          + "; first bytes: " + input.describe();
      if (e instanceof FrameException && !worker.isDead() && ready.isDone() && !worker.killedByPool()) {
        protocolBreak = new WorkerDeath.ProtocolBreak(e.getMessage(), dump, e);
      }
      Log.LOG.warn("worker {}: {}", worker.pid(), reason);
      process.destroyForcibly();
    } catch (RuntimeException | Error e) { // a listener's bug or a broken class path: report, never hang
      reason = "the parent failed handling its frames: " + e;
      Log.LOG.error("worker {}: {}", worker.pid(), reason, e);
      process.destroyForcibly();
    }
    pipes.close();
    WorkerProcess.closeQuietly(input);
    worker.reportDeath(reason);
    done.complete(null);
  }
}
