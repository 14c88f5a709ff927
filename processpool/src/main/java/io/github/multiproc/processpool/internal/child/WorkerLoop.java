package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.ToParent;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The worker's two loops: the calling thread reads frames; one thread ({@code multiproc-exec-1})
 * runs batches in arrival order, through {@link BatchRunner}, which answers each with exactly one
 * RESULTS or DROPPED. This class decides what runs when (the queue, cancel and recall, shutdown)
 * and writes every frame the worker sends.
 *
 * <p>Concurrency: the queue of batches, the id of the running batch and the runner's cancel flag
 * are guarded by {@code lock}; the executor thread is interrupted only under {@code lock} and only
 * while the batch to cancel is the one running, and clears its interrupt status under
 * {@code lock} when the batch ends, so a cancel can never leak into the next batch.
 *
 * <p><b>Diagnostics go to {@code System.err} on purpose</b>, not through SLF4J: the worker's
 * stderr is a pipe the parent reads, forwards attributed to the worker, and quotes (its last
 * lines) in {@code WorkerDiedException} and {@code WorkerStartException}; a dying or half-started
 * worker may have no logging backend at all, and none is loaded on the start-up path.
 */
final class WorkerLoop implements ToParent {

  /** {@link #idleSince()} while a batch runs or waits. */
  static final long NOT_IDLE = Long.MIN_VALUE;

  private final FrameReader reader;
  private final FrameWriter writer;
  private final OutputStream raw;
  private final Codec codec;

  private final Object lock = new Object();
  private final ArrayDeque<QueuedBatch> queue = new ArrayDeque<>(); // guarded by lock
  private long running = -1; // guarded by lock
  private boolean stopping; // guarded by lock
  private Thread executor;
  private final BatchRunner runner;

  private final Runnable afterFirstAnswer;
  private boolean answered; // guarded by lock
  private volatile long idleSince = NOT_IDLE; // System.nanoTime() when the executor last found nothing to run

  /**
   * @param reader frames from the parent
   * @param writer frames to the parent
   * @param raw the stream under {@code writer}, used only by fault injection to write garbage
   * @param codec the object codec
   * @param afterFirstAnswer run once, on the thread that sent it, after the first frame this
   *     worker sends (its first answer): work that may wait but would slow the first result
   */
  WorkerLoop(FrameReader reader, FrameWriter writer, OutputStream raw, Codec codec, Runnable afterFirstAnswer) {
    this.reader = reader;
    this.writer = writer;
    this.raw = raw;
    this.codec = codec;
    this.afterFirstAnswer = afterFirstAnswer;
    this.runner = new BatchRunner(codec, this, lock, new ItemTimer(lock, this::stopOverrun),
        writer.maxFrameBytes() - Frames.MIN_LENGTH);
  }

  /**
   * Tells since when the worker has had nothing to run, so that work which may wait (binding the
   * parent-death signal) waits for a pause instead of slowing the batches.
   *
   * @return the {@link System#nanoTime()} at which the last batch ended with none queued, or
   *     {@link #NOT_IDLE} while one runs or waits (also before the first batch)
   */
  long idleSince() {
    return idleSince;
  }

  /** @return the exit status */
  int run() {
    executor = Thread.ofPlatform().name("multiproc-exec-1").start(this::executeLoop);
    try {
      while (true) {
        Frame f = reader.read();
        if (f == null) {
          return Protocol.EXIT_PARENT_DIED; // EOF without SHUTDOWN: the parent is gone
        }
        // instanceof, not a pattern switch: a type switch links an invokedynamic bootstrap on the
        // first message, milliseconds of a cold worker's way to its first result
        ParentMessage m = ParentMessage.fromFrame(f);
        if (m instanceof ParentMessage.Tasks t) {
          enqueue(new QueuedBatch(t.batchId(), t.payload(), false));
        } else if (m instanceof ParentMessage.Define d) {
          runner.define(d);
        } else if (m instanceof ParentMessage.Ping p) {
          pong(p.sequence()); // liveness, even while a task runs
        } else if (m instanceof ParentMessage.Release r) {
          runner.release(r.callId());
        } else if (m instanceof ParentMessage.Cancel c) {
          cancel(c.batchId(), true);
        } else if (m instanceof ParentMessage.Recall r) {
          cancel(r.batchId(), false);
        } else if (m instanceof ParentMessage.Initialize i) {
          enqueue(new QueuedBatch(0, i.initializer(), true));
        } else if (m instanceof ParentMessage.InjectFaults i) {
          runner.injectFaults(ChildFaults.of((FaultInjector) codec.decode(i.injector()), raw, lock));
        } else if (m instanceof ParentMessage.Shutdown) {
          synchronized (lock) {
            stopping = true;
            lock.notifyAll();
          }
          executor.join();
          return 0;
        }
      }
    } catch (IOException e) {
      System.err.println("multiproc worker: protocol failure reading from the parent: " + e);
      return Protocol.EXIT_PROTOCOL_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void enqueue(QueuedBatch w) {
    synchronized (lock) {
      queue.addLast(w);
      lock.notifyAll();
    }
  }

  /**
   * Drops a batch that has not started; a running one is interrupted if {@code interrupt}
   * (CANCEL) and left alone otherwise (RECALL: the parent then gets its RESULTS as usual).
   */
  private void cancel(long batchId, boolean interrupt) {
    synchronized (lock) {
      if (queue.removeIf(w -> w.id == batchId && !w.initializer)) {
        dropped(batchId, interrupt ? "cancelled before it ran" : "recalled before it ran");
      } else if (interrupt && running == batchId) {
        runner.cancel();
        executor.interrupt();
      }
    }
  }

  private void executeLoop() {
    while (true) {
      QueuedBatch w;
      synchronized (lock) {
        if (queue.isEmpty() && answered) {
          idleSince = System.nanoTime();
        }
        while (queue.isEmpty() && !stopping) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            // only a cancel interrupts this thread, and never while it waits here
          }
        }
        if (queue.isEmpty()) {
          return; // stopping, queue drained
        }
        w = queue.removeFirst();
        idleSince = NOT_IDLE;
        running = w.id;
        runner.starting();
      }
      try {
        if (w.initializer) {
          runner.initialize(w.payload);
        } else {
          runner.run(w.id, w.payload);
        }
      } catch (Throwable e) {
        // a VM error, or a failure of the worker itself (a class missing from its class path):
        // the batch cannot be answered, so end the worker; the parent reports it with this stderr
        System.err.println("multiproc worker: fatal " + e + " while running batch " + w.id);
        e.printStackTrace();
        System.err.flush();
        Runtime.getRuntime().halt(Protocol.EXIT_WORKER_FAILURE);
      } finally {
        synchronized (lock) {
          running = -1;
          Thread.interrupted(); // a cancel's interrupt must not reach the next batch
        }
      }
    }
  }

  /**
   * Stops the worker for an item that ignored its timeout ({@link ItemTimer.Overrun}; on the timer
   * thread, under {@code lock}): the parent hears STOPPING, the batch's answer up to that item (it
   * sends the items never started again) and DROPPED for every queued batch; then the worker halts.
   */
  private void stopOverrun(long batchId, int upTo, Object[] values, Throwable[] failures, long start,
      String why) {
    System.err.println("multiproc worker: " + why);
    stopping(why); // the parent gives this worker nothing more
    results(batchId, ResultsCodec.encode(Arrays.copyOf(values, upTo), Arrays.copyOf(failures, upTo),
        System.nanoTime() - start, codec));
    for (QueuedBatch queued : queue) {
      if (!queued.initializer) {
        dropped(queued.id, "the worker is stopping"); // never started: the parent runs it elsewhere
      }
    }
    queue.clear();
    Runtime.getRuntime().halt(Protocol.EXIT_TASK_TIMEOUT);
  }

  /*
   * Frames come from three threads (the executor's answers, the reader's PINGs, the timer's
   * stop), so writes are serialized under lock. The protocol pipe is a plain FileOutputStream,
   * which an interrupt never closes; the interrupt status is still set aside during the write and
   * restored after it (a cancel is never lost), so that any OutputStream under the writer is safe.
   */
  @Override
  public void send(WorkerMessage message) {
    boolean first;
    synchronized (lock) {
      boolean interrupted = Thread.interrupted();
      try {
        writer.write(message.toFrame());
        writer.flush();
      } catch (IOException e) {
        Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // nobody to answer
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      first = !answered;
      answered = true;
    }
    if (first) {
      afterFirstAnswer.run(); // outside the lock; it only signals another thread
    }
  }

  private record QueuedBatch(long id, byte[] payload, boolean initializer) {} // the initializer travels as a batch of id 0
}
