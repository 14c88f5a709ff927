package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.WorkerInitializationException;
import io.github.multiproc.WorkerInitializer;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadReader;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.spi.AbstractPool;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The worker's two loops: the calling thread reads frames; one thread ({@code multiproc-exec-1})
 * runs chunks in arrival order and answers each with exactly one RESULTS or ERROR frame.
 *
 * <p>Concurrency: the work queue, the id of the running chunk and its cancel flag are guarded by
 * {@code lock}; the executor thread is interrupted only under {@code lock} and only while the
 * chunk to cancel is the one running, and clears its interrupt status under {@code lock} when the
 * chunk ends, so a cancel can never leak into the next chunk. Call definitions live in a
 * concurrent map written by the reader and read by the executor; a definition's task is decoded
 * by the executor on first use.
 */
final class WorkerLoop {

  private final FrameReader reader;
  private final FrameWriter writer;
  private final Codec codec;

  private final Object lock = new Object();
  private final ArrayDeque<Work> queue = new ArrayDeque<>(); // guarded by lock
  private long running = -1; // guarded by lock
  private volatile boolean cancelRunning; // written under lock; read per item without it
  private boolean stopping; // guarded by lock
  private Thread executor;
  private long runningItem = -1; // guarded by lock: the absolute index of the item running
  private boolean itemTimedOut; // guarded by lock
  private ScheduledThreadPoolExecutor timer; // created on the first call with a timeout

  private final Map<Long, CallDefinition> calls = new ConcurrentHashMap<>();
  private Throwable initializerFailure; // executor thread only

  WorkerLoop(FrameReader reader, FrameWriter writer, Codec codec) {
    this.reader = reader;
    this.writer = writer;
    this.codec = codec;
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
        switch (f.type()) {
          case DEFINE -> {
            if (f.correlationId() == 0) {
              enqueue(new Work(0, f.payload(), true));
            } else {
              calls.put(f.correlationId(), new CallDefinition(f.payload()));
            }
          }
          case TASKS -> enqueue(new Work(f.correlationId(), f.payload(), false));
          case CANCEL -> cancel(f.correlationId());
          case RELEASE -> calls.remove(f.correlationId());
          case PING -> { }
          case SHUTDOWN -> {
            synchronized (lock) {
              stopping = true;
              lock.notifyAll();
            }
            executor.join();
            return 0;
          }
          default -> {
            System.err.println("multiproc worker: unexpected " + f.type() + " frame from the parent");
            return Protocol.EXIT_PROTOCOL_ERROR;
          }
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

  private void enqueue(Work w) {
    synchronized (lock) {
      queue.addLast(w);
      lock.notifyAll();
    }
  }

  private void cancel(long chunkId) {
    synchronized (lock) {
      if (queue.removeIf(w -> w.id == chunkId && !w.initializer)) {
        answerDropped(chunkId, "cancelled before it ran");
      } else if (running == chunkId) {
        cancelRunning = true;
        executor.interrupt();
      }
    }
  }

  private void executeLoop() {
    while (true) {
      Work w;
      synchronized (lock) {
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
        running = w.id;
        cancelRunning = false;
      }
      try {
        if (w.initializer) {
          initialize(w.payload);
        } else {
          runChunk(w.id, w.payload);
        }
      } catch (Throwable e) {
        // a VM error, or a failure of the worker itself (a class missing from its class path):
        // the chunk cannot be answered, so end the worker; the parent reports it with this stderr
        System.err.println("multiproc worker: fatal " + e + " while running chunk " + w.id);
        e.printStackTrace();
        System.err.flush();
        Runtime.getRuntime().halt(Protocol.EXIT_WORKER_FAILURE);
      } finally {
        synchronized (lock) {
          running = -1;
          Thread.interrupted(); // a cancel's interrupt must not reach the next chunk
        }
      }
    }
  }

  private void initialize(byte[] payload) {
    try {
      ((WorkerInitializer) codec.decode(payload)).initialize();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      initializerFailure = t;
    }
  }

  private void runChunk(long chunkId, byte[] payload) {
    long start = System.nanoTime();
    PayloadReader in = new PayloadReader(payload);
    long callId;
    long firstIndex;
    int count;
    try {
      callId = in.getLong();
      firstIndex = in.getLong();
      count = PayloadReader.countAt(payload, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("malformed TASKS frame " + chunkId, e);
    }
    Object[] values = new Object[count];
    Throwable[] failures = new Throwable[count];
    Object[] items = null;
    Throwable common = null;
    Task<Object, Object> task = null;
    CallDefinition def = null;
    try {
      items = ItemsCodec.decode(in, codec);
      def = calls.get(callId);
      if (def == null) {
        throw new IllegalStateException("the worker holds no task for call " + callId
            + " (protocol error: TASKS before DEFINE or after RELEASE)");
      }
      task = def.task(codec);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      common = t;
    }
    for (int i = 0; i < count; i++) {
      if (cancelRunning) {
        answerDropped(chunkId, "cancelled while it ran");
        return;
      }
      if (initializerFailure != null) {
        failures[i] = new WorkerInitializationException(firstIndex + i, initializerFailure);
      } else if (common != null) {
        failures[i] = common;
      } else {
        boolean job = task instanceof AbstractPool.JobTask<?>;
        if (def.timeoutNanos > 0) {
          runWithTimeout(chunkId, task, items, i, job ? -1 : firstIndex, values, failures, def, start);
        } else {
          try {
            values[i] = task.apply(items[i]);
          } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
              throw e;
            }
            failures[i] = t;
          }
        }
      }
    }
    synchronized (lock) {
      if (cancelRunning) {
        answerDropped(chunkId, "cancelled while it ran");
        return;
      }
    }
    byte[] results = ResultsCodec.encode(values, failures, System.nanoTime() - start, codec);
    send(FrameType.RESULTS, chunkId, results);
  }

  /**
   * Runs item {@code i} under the call's timeout: at the deadline the executor is interrupted and
   * the item fails with {@link TaskTimeoutException}; if it is still running a grace period later,
   * the worker answers the chunk (items after it fail with {@link WorkerDiedException}, since this
   * worker is about to end) and halts, and the parent replaces it.
   */
  private void runWithTimeout(long chunkId, Task<Object, Object> task, Object[] items, int i, long firstIndex,
      Object[] values, Throwable[] failures, CallDefinition def, long start) {
    long index = firstIndex < 0 ? TaskTimeoutException.NO_INDEX : firstIndex + i;
    Duration timeout = Duration.ofNanos(def.timeoutNanos);
    synchronized (lock) {
      runningItem = i;
      itemTimedOut = false;
      if (timer == null) {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("multiproc-timer-1").factory());
        timer.setRemoveOnCancelPolicy(true);
      }
    }
    ScheduledFuture<?> alarm = timer.schedule(() -> {
      synchronized (lock) {
        if (running == chunkId && runningItem == i) {
          itemTimedOut = true;
          executor.interrupt();
        }
      }
    }, def.timeoutNanos, TimeUnit.NANOSECONDS);
    ScheduledFuture<?> kill = timer.schedule(() -> {
      synchronized (lock) {
        if (running != chunkId || runningItem != i) {
          return;
        }
        failures[i] = new TaskTimeoutException(index, timeout);
        values[i] = null;
        String why = "the worker was stopped because input #" + index + " ignored its timeout of " + timeout
            + " for a grace period of " + Duration.ofNanos(def.graceNanos);
        for (int j = i + 1; j < values.length; j++) {
          failures[j] = new WorkerDiedException(firstIndex < 0 ? -1 : firstIndex + j,
              ProcessHandle.current().pid(), OptionalInt.of(Protocol.EXIT_TASK_TIMEOUT), why);
        }
        System.err.println("multiproc worker: " + why);
        answerDropped(0, "stopping: " + why); // the parent gives this worker nothing more
        send(FrameType.RESULTS, chunkId, ResultsCodec.encode(values, failures, System.nanoTime() - start, codec));
        for (Work queued : queue) {
          if (!queued.initializer) {
            answerDropped(queued.id, "the worker is stopping"); // never started: the parent runs it elsewhere
          }
        }
        queue.clear();
        Runtime.getRuntime().halt(Protocol.EXIT_TASK_TIMEOUT);
      }
    }, def.timeoutNanos + def.graceNanos, TimeUnit.NANOSECONDS);
    try {
      values[i] = task.apply(items[i]);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      failures[i] = t;
    } finally {
      alarm.cancel(false);
      kill.cancel(false);
      synchronized (lock) {
        runningItem = -1;
        if (itemTimedOut) {
          values[i] = null;
          failures[i] = new TaskTimeoutException(index, timeout);
          Thread.interrupted(); // the alarm's interrupt, not a cancel: clear it
        }
      }
    }
  }

  private void answerDropped(long chunkId, String reason) {
    PayloadWriter w = new PayloadWriter(64);
    w.putBytes(reason.getBytes(StandardCharsets.UTF_8));
    send(FrameType.ERROR, chunkId, w.toByteArray());
  }

  /*
   * The protocol socket is an InterruptibleChannel: an interrupt pending or arriving while a thread
   * writes to it closes it for good. Cancels and timeout alarms interrupt the executor only under
   * lock, so writing under lock with the interrupt status set aside keeps them apart; the status
   * is restored after the write, so a cancel is never lost.
   */
  private void send(FrameType type, long id, byte[] payload) {
    synchronized (lock) {
      boolean interrupted = Thread.interrupted();
      try {
        writer.write(type, id, payload, 0, payload.length);
        writer.flush();
      } catch (IOException e) {
        Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // nobody to answer
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private record Work(long id, byte[] payload, boolean initializer) {}

  /** A call's task as sent in DEFINE: {@code int64 timeoutNanos | int64 graceNanos | task bytes}; decoded once. */
  private static final class CallDefinition {
    private final byte[] payload;
    final long timeoutNanos;
    final long graceNanos;
    private Task<Object, Object> task; // executor thread only
    private RuntimeException failure;

    CallDefinition(byte[] payload) {
      this.payload = payload;
      PayloadReader in = new PayloadReader(payload);
      long t = 0;
      long g = 0;
      try {
        t = in.getLong();
        g = in.getLong();
      } catch (IOException e) {
        // malformed: task() reports it per item
      }
      this.timeoutNanos = t;
      this.graceNanos = g;
    }

    @SuppressWarnings("unchecked")
    Task<Object, Object> task(Codec codec) {
      if (task == null && failure == null) {
        try {
          PayloadReader in = new PayloadReader(payload);
          in.getLong();
          in.getLong();
          task = (Task<Object, Object>) codec.decode(in.rest());
        } catch (IOException e) {
          failure = new UncheckedIOException("malformed DEFINE frame", e);
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return task;
    }
  }
}
