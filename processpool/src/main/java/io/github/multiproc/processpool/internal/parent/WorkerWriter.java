package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of one worker's protocol: a queue of outbound frames and the thread
 * ({@code multiproc-writer-n}) that opens the to-worker pipe and writes them, flushing whenever
 * the queue is empty. SHUTDOWN is written last and closes the pipe; a stop ends the thread
 * without writing more. A broken pipe ends the thread quietly: the worker is dying, and its
 * reader reports the death.
 *
 * <p>Thread safety: {@link #send}, {@link #shutdown} and {@link #stop} may be called from any
 * thread and never block; {@link #awaitOpened} from the worker's reader.
 */
final class WorkerWriter {

  /** How long the reader waits, at HELLO, for the writer to open its end (it never blocks; a bound all the same). */
  private static final long OUTPUT_OPEN_WAIT_SECONDS = 10;
  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerWriter.class);
  }
  private static final Object SHUTDOWN = new Object();
  private static final Object STOP = new Object();

  private final WorkerPipes pipes;
  private final long pid;
  private final CountDownLatch outputOpened = new CountDownLatch(1); // the writer opened to-worker, or never will
  private final LinkedBlockingQueue<Object> outbound = new LinkedBlockingQueue<>();

  /**
   * @param pipes the worker's pipes; the writer opens their to-worker end
   * @param pid the worker's pid, for the log
   */
  WorkerWriter(WorkerPipes pipes, long pid) {
    this.pipes = pipes;
    this.pid = pid;
  }

  /**
   * Starts the writer thread.
   *
   * @param id the worker's number in this JVM, for the thread's name
   */
  void start(int id) {
    Thread.ofPlatform().daemon().name("multiproc-writer-" + id).start(this::writeLoop);
  }

  /** @param message queued for the worker; a SHUTDOWN closes the pipe after it */
  void send(ParentMessage message) {
    outbound.add(message instanceof ParentMessage.Shutdown ? SHUTDOWN : message.toFrame());
  }

  /** Queues SHUTDOWN: the worker finishes what it holds and exits; the pipe is closed after it. */
  void shutdown() {
    outbound.add(SHUTDOWN);
  }

  /** Ends the writer once it reaches this point of the queue, writing nothing more. */
  void stop() {
    outbound.add(STOP);
  }

  /** Waits until the writer opened its end (it never blocks: the hold is still there). */
  void awaitOpened() throws InterruptedIOException {
    try {
      if (!outputOpened.await(OUTPUT_OPEN_WAIT_SECONDS, TimeUnit.SECONDS)) {
        Log.LOG.warn("worker {}: the writer did not open its pipe within {} s", pid, OUTPUT_OPEN_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the writer opened its pipe");
    }
  }

  private void writeLoop() {
    FrameWriter writer;
    try {
      writer = new FrameWriter(new BufferedOutputStream(pipes.openOutput(), 1 << 16), Frames.DEFAULT_MAX_FRAME_BYTES);
    } catch (IOException e) {
      Log.LOG.debug("worker {}: never connected: {}", pid, e.toString()); // the reader reports the death
      return;
    } finally {
      outputOpened.countDown();
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
      Log.LOG.debug("worker {}: write failed: {}", pid, e.toString());
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
}
