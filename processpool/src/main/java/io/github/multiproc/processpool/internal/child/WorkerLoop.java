package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.TaskTimeoutException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.WorkerInitializationException;
import io.github.multiproc.WorkerInitializer;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.processpool.internal.protocol.ToParent;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.WorkerOutOfMemoryException;
import io.github.multiproc.processpool.internal.protocol.Faults;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadReader;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValueWriter;
import io.github.multiproc.processpool.internal.protocol.ParentMessage.Tasks;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.spi.Chunk;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
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
 * runs batches in arrival order and answers each with exactly one RESULTS or DROPPED.
 *
 * <p>Concurrency: the queue of batches, the id of the running batch and its cancel flag are guarded by
 * {@code lock}; the executor thread is interrupted only under {@code lock} and only while the
 * batch to cancel is the one running, and clears its interrupt status under {@code lock} when the
 * batch ends, so a cancel can never leak into the next batch. Call definitions live in a
 * concurrent map written by the reader and read by the executor; a definition's task is decoded
 * by the executor on first use.
 *
 * <p><b>Diagnostics go to {@code System.err} on purpose</b>, not through SLF4J: the worker's
 * stderr is a pipe the parent reads, forwards attributed to the worker, and quotes (its last
 * lines) in {@code WorkerDiedException} and {@code WorkerStartException}; a dying or half-started
 * worker may have no logging backend at all, and none is loaded on the start-up path.
 */
final class WorkerLoop implements ToParent {

  private final FrameReader reader;
  private final FrameWriter writer;
  private final OutputStream raw;
  private final Codec codec;
  private volatile ChildFaults faults = ChildFaults.NONE; // set once, before any batch, by the reader

  private final Object lock = new Object();
  private final ArrayDeque<QueuedBatch> queue = new ArrayDeque<>(); // guarded by lock
  private long running = -1; // guarded by lock
  private volatile boolean cancelRunning; // written under lock; read per item without it
  private boolean stopping; // guarded by lock
  private Thread executor;
  private long runningItem = -1; // guarded by lock: the absolute index of the item running
  private boolean itemTimedOut; // guarded by lock
  private ScheduledThreadPoolExecutor timer; // created on the first call with a timeout
  private volatile ThreadMXBean cpuClock; // set by the timer thread: items measured once it is there

  private final Map<Long, CallDefinition> calls = new ConcurrentHashMap<>();
  private Throwable initializerFailure; // executor thread only
  private final Runnable afterFirstAnswer;
  private boolean answered; // guarded by lock
  private final SharedValueWriter largeResults = new SharedValueWriter(
      Long.getLong(Protocol.LARGE_PAYLOAD_THRESHOLD_PROPERTY, Protocol.DEFAULT_LARGE_PAYLOAD_THRESHOLD));
  private SharedValueReader largeInputs; // executor thread only: made on the first input out of band
  private String outOfMemory; // executor thread only: a task's OutOfMemoryError, once seen; then nothing more runs
  private boolean stoppingSent; // executor thread only

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
          calls.put(d.callId(), new CallDefinition(d));
        } else if (m instanceof ParentMessage.Ping p) {
          pong(p.sequence()); // liveness, even while a task runs
        } else if (m instanceof ParentMessage.Release r) {
          calls.remove(r.callId());
        } else if (m instanceof ParentMessage.Cancel c) {
          cancel(c.batchId(), true);
        } else if (m instanceof ParentMessage.Recall r) {
          cancel(r.batchId(), false);
        } else if (m instanceof ParentMessage.Initialize i) {
          enqueue(new QueuedBatch(0, i.initializer(), true));
        } else if (m instanceof ParentMessage.InjectFaults i) {
          faults = ChildFaults.of((FaultInjector) codec.decode(i.injector()), raw, lock);
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
        cancelRunning = true;
        executor.interrupt();
      }
    }
  }

  private void executeLoop() {
    while (true) {
      QueuedBatch w;
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
        } else if (outOfMemory != null) { // sent before the parent heard STOPPING: it runs elsewhere
          dropped(w.id, "the worker is stopping: a task ran out of memory");
        } else {
          runBatch(w.id, w.payload);
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

  private void runBatch(long batchId, byte[] payload) {
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
      throw new UncheckedIOException("malformed TASKS for batch " + batchId, e);
    }
    if (count < 1 || count > payload.length) { // garbled: answer one item; the parent sends the rest again
      Throwable[] failed = {new ProtocolException(Chunk.indexOf(firstIndex, 0), ProcessHandle.current().pid(),
          "the worker could not read the inputs of batch " + batchId + " sent by the parent: item count=" + count,
          ProtocolException.dump(payload, 16, payload.length - 16), null)};
      results(batchId, ResultsCodec.encode(new Object[1], failed, System.nanoTime() - start, codec));
      return;
    }
    Object[] values = new Object[count];
    Throwable[] failures = new Throwable[count];
    Object[] items = null;
    Throwable common = null;
    Task<Object, Object> task = null;
    CallDefinition def = null;
    try {
      def = calls.get(callId);
      if (def == null) {
        throw new IllegalStateException("the worker holds no task for call " + callId
            + " (protocol error: TASKS before DEFINE or after RELEASE)");
      }
      task = def.task(codec);
      FaultInjector.Action fault = faults.at(FaultInjector.Stage.WORKER_DECODE, Chunk.indexOf(firstIndex, 0), count);
      if (fault == FaultInjector.Action.CORRUPT) {
        payload = Faults.corruptPayload(payload, 16);
        in = new PayloadReader(payload);
        in.getLong();
        in.getLong();
      }
      try {
        items = payload[Tasks.ITEMS_OFFSET] == FastPathTags.SHARED
            ? ItemsCodec.decodeEach(in, codec, ItemsCodec.MAX_COUNT, largeInputs()).valuesOrThrow()
            : ItemsCodec.decode(in, codec);
      } catch (IOException e) {
        String dump = ProtocolException.dump(payload, 16, payload.length - 16);
        for (int i = 0; i < count; i++) {
          failures[i] = new ProtocolException(Chunk.indexOf(firstIndex, i), ProcessHandle.current().pid(),
              "the worker could not read the inputs of batch " + batchId + " sent by the parent: " + e.getMessage(),
              dump, null);
        }
        common = failures[0];
      }
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      common = t;
    }
    for (int i = 0; i < count; i++) {
      if (cancelRunning) {
        dropped(batchId, "cancelled while it ran");
        return;
      }
      if (initializerFailure != null) {
        failures[i] = new WorkerInitializationException(Chunk.indexOf(firstIndex, i), initializerFailure);
      } else if (common instanceof ProtocolException) {
        // failures[i] is set
      } else if (common != null) {
        failures[i] = common;
      } else {
        faults.at(FaultInjector.Stage.EXECUTION, Chunk.indexOf(firstIndex, i), 1);
        if (def.taskTimeoutNanos > 0) {
          if (!runWithTimeout(batchId, task, items, i, firstIndex, values, failures, def, start)) {
            return; // the worker is stopping; the batch was answered
          }
        } else {
          applyItem(task, items, i, values, failures);
        }
      }
    }
    synchronized (lock) {
      if (cancelRunning) {
        dropped(batchId, "cancelled while it ran");
        return;
      }
    }
    byte[] results = ResultEncoder.encode(values, failures, System.nanoTime() - start, codec,
        writer.maxFrameBytes() - Frames.MIN_LENGTH, largeResults);
    if (outOfMemory != null && !stoppingSent) { // before the answer, so the parent sends nothing more
      stoppingSent = true;
      stopping(Protocol.STOPPING_OUT_OF_MEMORY + "a task threw " + outOfMemory);
    }
    if (faults.at(FaultInjector.Stage.RESULT_ENCODE, Chunk.indexOf(firstIndex, 0), count) == FaultInjector.Action.CORRUPT) {
      results = Faults.corruptPayload(results, 8);
    }
    results(batchId, results);
  }

  /** Reads inputs the parent put in shared memory: only the parent's segments are accepted. */
  private SharedValueReader largeInputs() {
    if (largeInputs == null) {
      largeInputs = SharedValueReader.inPlace(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
    }
    return largeInputs;
  }

  /**
   * Runs the task on item {@code i}: its value, or what it threw, goes to the item's slot. A
   * {@link VirtualMachineError} is the worker's failure, not the item's, and propagates.
   */
  private void applyItem(Task<Object, Object> task, Object[] items, int i, Object[] values,
      Throwable[] failures) {
    try {
      values[i] = task.apply(items[i]);
    } catch (OutOfMemoryError e) { // the task's garbage is unreachable now: the item fails, the worker goes
      values[i] = null;
      failures[i] = new WorkerOutOfMemoryException(ProcessHandle.current().pid(), Runtime.getRuntime().maxMemory(), e);
      outOfMemory = e.toString();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      failures[i] = t;
    }
  }

  /**
   * Runs item {@code i} under the call's timeout: at the deadline the executor is interrupted and
   * the item fails with {@link TaskTimeoutException}; if it is still running a grace period later,
   * the worker answers the batch (items after it fail with {@link WorkerDiedException}, since this
   * worker is about to end) and halts, and the parent replaces it.
   */
  private boolean runWithTimeout(long batchId, Task<Object, Object> task, Object[] items, int i, long firstIndex,
      Object[] values, Throwable[] failures, CallDefinition def, long start) {
    long index = Chunk.indexOf(firstIndex, i);
    Duration timeout = Duration.ofNanos(def.taskTimeoutNanos);
    synchronized (lock) {
      runningItem = i;
      itemTimedOut = false;
      if (timer == null) {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("multiproc-timer-1").factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.execute(this::startCpuClock); // off the item's path: ~40 ms on a cold JVM
      }
    }
    ScheduledFuture<?> alarm = timer.schedule(() -> {
      synchronized (lock) {
        if (running == batchId && runningItem == i) {
          itemTimedOut = true;
          executor.interrupt();
        }
      }
    }, def.taskTimeoutNanos, TimeUnit.NANOSECONDS);
    ScheduledFuture<?> kill = timer.schedule(() -> {
      synchronized (lock) {
        if (running != batchId || runningItem != i) {
          return;
        }
        failures[i] = new TaskTimeoutException(index, timeout);
        values[i] = null;
        String why = "the worker was stopped because input #" + index + " ignored its timeout of " + timeout
            + " for a grace period of " + Duration.ofNanos(def.taskTimeoutGraceNanos);
        System.err.println("multiproc worker: " + why);
        stopping(why); // the parent gives this worker nothing more
        // answer only the items up to this one: the parent sends the ones never started again
        results(batchId, ResultsCodec.encode(java.util.Arrays.copyOf(values, i + 1),
            java.util.Arrays.copyOf(failures, i + 1), System.nanoTime() - start, codec));
        for (QueuedBatch queued : queue) {
          if (!queued.initializer) {
            dropped(queued.id, "the worker is stopping"); // never started: the parent runs it elsewhere
          }
        }
        queue.clear();
        Runtime.getRuntime().halt(Protocol.EXIT_TASK_TIMEOUT);
      }
    }, def.taskTimeoutNanos + def.taskTimeoutGraceNanos, TimeUnit.NANOSECONDS);
    ThreadMXBean clock = cpuClock;
    long cpuAtStart = clock == null ? -1 : clock.getCurrentThreadCpuTime();
    try {
      applyItem(task, items, i, values, failures);
    } finally {
      alarm.cancel(false);
      kill.cancel(false);
      Duration cpu = cpuAtStart < 0 ? null : Duration.ofNanos(clock.getCurrentThreadCpuTime() - cpuAtStart);
      synchronized (lock) {
        runningItem = -1;
        if (itemTimedOut) {
          values[i] = null;
          failures[i] = new TaskTimeoutException(index, timeout, cpu);
          Thread.interrupted(); // the alarm's interrupt, not a cancel: clear it
        }
      }
    }
    return true;
  }


  /**
   * Makes the clock of the items' CPU time, which tells a timed-out item that was starved of CPU
   * (more busy threads or processes than cores) from one that computed for all its time.
   */
  private void startCpuClock() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (bean.isCurrentThreadCpuTimeSupported() && bean.isThreadCpuTimeEnabled()) {
      cpuClock = bean;
    }
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
