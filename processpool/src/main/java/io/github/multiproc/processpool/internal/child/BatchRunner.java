package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.WorkerInitializationException;
import io.github.multiproc.WorkerInitializer;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathTags;
import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.WorkerOutOfMemoryException;
import io.github.multiproc.processpool.internal.protocol.Faults;
import io.github.multiproc.processpool.internal.protocol.ItemsDecoder;
import io.github.multiproc.processpool.internal.protocol.NumberResults;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.ParentMessage.Tasks;
import io.github.multiproc.processpool.internal.protocol.PayloadReader;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValueWriter;
import io.github.multiproc.processpool.internal.protocol.ToParent;
import io.github.multiproc.spi.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a worker's batches on its executor thread ({@code multiproc-exec-1}), one at a time: reads a
 * batch's inputs, applies the call's task to each item (under {@link ItemTimer} when the call has a
 * timeout) and answers the batch with exactly one RESULTS or DROPPED. The {@link WorkerLoop} decides
 * what runs when; this class, how one batch runs. A batch of int, long or double inputs runs on a
 * path of its own while its results are all ints, all longs or all doubles ({@link #runNumbers}: no
 * array of inputs, values or failures; docs/architecture.md).
 *
 * <p>Thread safety: {@link #initialize} and {@link #run} are called by the executor thread only.
 * The cancel flag is reset by {@link #starting} and set by {@link #cancel}, both under the worker's
 * lock, and read per item without it. Call definitions live in a concurrent map written by the
 * reader ({@link #define}, {@link #release}) and read by the executor; a definition's task is
 * decoded by the executor on first use. Fault injection is set by the reader before any batch.
 */
final class BatchRunner {

  private final Codec codec;
  private final ToParent parent;
  private final Object lock;
  private final ItemTimer itemTimer;
  private final int maxResultBytes;
  private volatile ChildFaults faults = ChildFaults.NONE; // set once, before any batch, by the reader
  private volatile boolean cancelled; // written under lock; read per item without it

  private final Map<Long, CallDefinition> calls = new ConcurrentHashMap<>();
  private Throwable initializerFailure; // executor thread only
  private final SharedValueWriter largeResults = new SharedValueWriter(
      Long.getLong(Protocol.LARGE_PAYLOAD_THRESHOLD_PROPERTY, Protocol.DEFAULT_LARGE_PAYLOAD_THRESHOLD));
  private SharedValueReader largeInputs; // executor thread only: made on the first input out of band
  private String outOfMemory; // executor thread only: a task's OutOfMemoryError, once seen; then nothing more runs
  private boolean stoppingSent; // executor thread only
  private Object oddValue; // executor thread only: the number path's first result that did not fit its run
  private Throwable oddFailure; // executor thread only: or what that item threw

  /**
   * @param codec the object codec
   * @param parent where answers go
   * @param lock the worker's lock, under which it cancels a batch
   * @param itemTimer times the items of calls with a timeout
   * @param maxResultBytes the most bytes a RESULTS payload may take in one frame
   */
  BatchRunner(Codec codec, ToParent parent, Object lock, ItemTimer itemTimer, int maxResultBytes) {
    this.codec = codec;
    this.parent = parent;
    this.lock = lock;
    this.itemTimer = itemTimer;
    this.maxResultBytes = maxResultBytes;
  }

  /** @param define a call's task and options, from DEFINE; on the reader thread */
  void define(ParentMessage.Define define) {
    calls.put(define.callId(), new CallDefinition(define));
  }

  /** @param callId a call whose batches are all answered, from RELEASE; on the reader thread */
  void release(long callId) {
    calls.remove(callId);
  }

  /** @param injected the faults to inject from now on; on the reader thread, before any batch */
  void injectFaults(ChildFaults injected) {
    faults = injected;
  }

  /** Clears the cancel flag for the batch about to run; under the worker's lock. */
  void starting() {
    cancelled = false;
  }

  /**
   * Has the running batch answer DROPPED at its next item instead of RESULTS; under the worker's
   * lock, which then interrupts the executor.
   */
  void cancel() {
    cancelled = true;
  }

  /**
   * Runs the pool's initializer; if it throws, every item of every later batch fails with
   * {@link WorkerInitializationException}.
   *
   * @param payload the encoded {@link WorkerInitializer}
   */
  void initialize(byte[] payload) {
    try {
      ((WorkerInitializer) codec.decode(payload)).initialize();
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      initializerFailure = t;
    }
  }

  /**
   * Runs a batch and answers it: RESULTS with one value or failure per item, or DROPPED if it was
   * cancelled, or if a task ran out of memory before it (the parent runs it elsewhere).
   *
   * @param batchId the batch
   * @param payload its TASKS payload
   */
  void run(long batchId, byte[] payload) {
    if (outOfMemory != null) { // sent before the parent heard STOPPING: it runs elsewhere
      parent.dropped(batchId, "the worker is stopping: a task ran out of memory");
    } else {
      runBatch(batchId, payload);
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
      parent.results(batchId, ResultsCodec.encode(new Object[1], failed, System.nanoTime() - start, codec));
      return;
    }
    Object[] items = null;
    Throwable common = null;
    Task<Object, Object> task = null;
    CallDefinition def = null;
    int numbers = -1;
    try {
      def = calls.get(callId);
      if (def == null) {
        throw new IllegalStateException("the worker holds no task for call " + callId
            + " (protocol error: TASKS before DEFINE or after RELEASE)");
      }
      task = def.task(codec);
      numbers = numberInputs(def, payload, count);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      common = t;
    }
    if (numbers > 0) { // outside the try: nothing it throws may send the batch down the general path too
      runNumberBatch(batchId, firstIndex, start, def, task, payload, numbers, count);
      return;
    }
    Throwable[] failures = new Throwable[count];
    if (common == null) {
      try {
        FaultInjector.Action fault = faults.at(FaultInjector.Stage.WORKER_DECODE, Chunk.indexOf(firstIndex, 0), count);
        if (fault == FaultInjector.Action.CORRUPT) {
          payload = Faults.corruptPayload(payload, 16);
          in = new PayloadReader(payload);
          in.getLong();
          in.getLong();
        }
        try {
          items = payload[Tasks.ITEMS_OFFSET] == FastPathTags.SHARED
              ? ItemsDecoder.decodeEach(in, codec, ItemsDecoder.MAX_COUNT, largeInputs()).valuesOrThrow()
              : ItemsDecoder.decode(in, codec);
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
    }
    Object[] values = new Object[count];
    if (!runItems(batchId, firstIndex, start, def, task, items, common, values, failures, 0)) {
      dropCancelled(batchId);
      return;
    }
    answer(batchId, firstIndex, count, start, values, failures);
  }

  /** Answers DROPPED for a batch cancelled while it ran. */
  private void dropCancelled(long batchId) {
    parent.dropped(batchId, "cancelled while it ran");
  }

  /** @return whether the batch, all of whose items ran, was cancelled meanwhile: then it answered DROPPED */
  private boolean droppedAtEnd(long batchId) {
    synchronized (lock) {
      if (cancelled) {
        dropCancelled(batchId);
        return true;
      }
      return false;
    }
  }

  /** Answers a batch whose items all ran: RESULTS, or DROPPED if it was cancelled at the end. */
  private void answer(long batchId, long firstIndex, int count, long start, Object[] values, Throwable[] failures) {
    if (droppedAtEnd(batchId)) {
      return;
    }
    byte[] results = ResultEncoder.encode(values, failures, System.nanoTime() - start, codec,
        maxResultBytes, largeResults);
    if (outOfMemory != null && !stoppingSent) { // before the answer, so the parent sends nothing more
      stoppingSent = true;
      parent.stopping(Protocol.STOPPING_OUT_OF_MEMORY + "a task threw " + outOfMemory);
    }
    if (faults.at(FaultInjector.Stage.RESULT_ENCODE, Chunk.indexOf(firstIndex, 0), count) == FaultInjector.Action.CORRUPT) {
      results = Faults.corruptPayload(results, 8);
    }
    parent.results(batchId, results);
  }

  /**
   * Whether the batch takes the number path ({@link #runNumberBatch}): every input an {@code int},
   * every one a {@code long} or every one a {@code double} (one well-formed INT, LONG or DOUBLE
   * run), no per-item timeout, no injected fault and no initializer failure.
   *
   * @return the offset of the first input in the payload, or -1 for the general path
   */
  private int numberInputs(CallDefinition def, byte[] payload, int count) {
    if (def.taskTimeoutNanos > 0 || faults != ChildFaults.NONE || initializerFailure != null) {
      return -1;
    }
    return ItemsDecoder.numberRunBody(payload, Tasks.ITEMS_OFFSET, count);
  }

  /**
   * Runs a batch of numeric inputs while its results are all {@code Integer}s, all {@code Long}s or
   * all {@code Double}s (the first result chooses), writing each straight into the answer
   * ({@link NumberResults}): no array of inputs in, no value or failure array out. The first item
   * whose result does not fit the run, or that throws, turns the batch over to the general path
   * from there on; no item runs twice.
   */
  private void runNumberBatch(long batchId, long firstIndex, long start, CallDefinition def,
      Task<Object, Object> task, byte[] payload, int body, int count) {
    byte kind = payload[Tasks.ITEMS_OFFSET];
    NumberResults out = new NumberResults(count, maxResultBytes);
    // item 0 chooses the results' kind; ints to ints and ints to longs then take loops of their
    // own, with no test of kinds per item and a profile no other kind shares
    int odd = runNumbers(task, payload, kind, body, out, 0, 1);
    if (odd == 1 && count > 1) {
      odd = kind == FastPathTags.INT && out.isInts() ? runInts(task, payload, body, out)
          : kind == FastPathTags.INT && out.isLongs() ? runIntsToLongs(task, payload, body, out)
          : runNumbers(task, payload, kind, body, out, 1, count);
    }
    if (odd < 0) {
      dropCancelled(batchId);
      return;
    }
    if (odd == count) {
      if (!droppedAtEnd(batchId)) {
        parent.results(batchId, out.finish(System.nanoTime() - start));
      }
      return;
    }
    Object[] values = new Object[count];
    Throwable[] failures = new Throwable[count];
    boxInto(out, odd, values);
    if (oddFailure != null) {
      recordFailure(odd, oddFailure, values, failures);
    } else {
      values[odd] = oddValue;
    }
    oddValue = null;
    oddFailure = null;
    Object[] items = new Object[count];
    for (int i = odd + 1; i < count; i++) {
      items[i] = ItemsDecoder.numberAt(payload, kind, body, i);
    }
    if (!runItems(batchId, firstIndex, start, def, task, items, null, values, failures, odd + 1)) {
      dropCancelled(batchId);
      return;
    }
    answer(batchId, firstIndex, count, start, values, failures);
  }

  /**
   * The per-item loop of the number path, a small method of its own (see {@link #runItems}).
   *
   * @return {@code to} if every result fitted the run; else the first item whose result did not
   *     ({@link #oddValue}) or that threw ({@link #oddFailure}); -1 if cancelled
   */
  private int runNumbers(Task<Object, Object> task, byte[] payload, byte kind, int body, NumberResults out,
      int from, int to) {
    for (int i = from; i < to; i++) {
      if (cancelled) {
        return -1;
      }
      Object r;
      try {
        r = task.apply(ItemsDecoder.numberAt(payload, kind, body, i));
      } catch (Throwable t) {
        return threwAt(i, t);
      }
      if (!out.set(i, r)) {
        oddValue = r;
        return i;
      }
    }
    return to;
  }

  /**
   * The loop of ints to ints, from item 1 (item 0 chose a run of ints): as {@link #runNumbers},
   * with each input read as an {@code int} and each result put as one.
   */
  private int runInts(Task<Object, Object> task, byte[] payload, int body, NumberResults out) {
    for (int i = 1; i < out.size(); i++) {
      if (cancelled) {
        return -1;
      }
      Object r;
      try {
        r = task.apply(ItemsDecoder.intAt(payload, body, i));
      } catch (Throwable t) {
        return threwAt(i, t);
      }
      if (!(r instanceof Integer v)) {
        oddValue = r;
        return i;
      }
      out.setInt(i, v);
    }
    return out.size();
  }

  /**
   * The loop of ints to longs, from item 1 (item 0 chose a run of longs): as {@link #runInts}, for
   * tasks such as {@code x -> (long) x * x}. A copy of that loop on purpose: each loop's call of
   * the task, and its test of the result's type, has a JIT profile of its own, which a shared
   * helper would mix (docs/architecture.md, "The worker's number path").
   */
  private int runIntsToLongs(Task<Object, Object> task, byte[] payload, int body, NumberResults out) {
    for (int i = 1; i < out.size(); i++) {
      if (cancelled) {
        return -1;
      }
      Object r;
      try {
        r = task.apply(ItemsDecoder.intAt(payload, body, i));
      } catch (Throwable t) {
        return threwAt(i, t);
      }
      if (!(r instanceof Long v)) {
        oddValue = r;
        return i;
      }
      out.setLong(i, v);
    }
    return out.size();
  }

  /**
   * Item {@code i} of a number loop threw {@code t}: kept as {@link #oddFailure} for the general
   * path to record ({@link #recordFailure}), unless it is the worker's failure, not the item's (a
   * {@link VirtualMachineError} other than {@code OutOfMemoryError}), which propagates.
   *
   * @return {@code i}, where the loop stops
   */
  private int threwAt(int i, Throwable t) {
    if (t instanceof VirtualMachineError e && !(t instanceof OutOfMemoryError)) {
      throw e;
    }
    oddFailure = t;
    return i;
  }

  /** The number path's results before item {@code n}, boxed for the general path (a loop of its own). */
  private static void boxInto(NumberResults out, int n, Object[] values) {
    for (int i = 0; i < n; i++) {
      values[i] = out.get(i);
    }
  }

  /**
   * Runs the items of a batch from item {@code from} on (0, or the item after the one at which the
   * number path handed the batch over), or fails them with {@code common} or the initializer's
   * failure. The per-item loop lives here, apart from {@link #runBatch}'s decoding and error handling, so
   * that the JIT compiles a small hot method early instead of the whole of {@code runBatch}
   * (twice: on-stack replacement, then whole) while a fresh worker's first maps wait.
   *
   * @return false if the batch was cancelled while it ran
   */
  private boolean runItems(long batchId, long firstIndex, long start, CallDefinition def,
      Task<Object, Object> task, Object[] items, Throwable common, Object[] values, Throwable[] failures, int from) {
    for (int i = from; i < values.length; i++) {
      if (cancelled) {
        return false;
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
          itemTimer.arm(batchId, i, Chunk.indexOf(firstIndex, i), def, values, failures, start);
          try {
            applyItem(task, items, i, values, failures);
          } finally {
            itemTimer.disarm(i, values, failures);
          }
        } else {
          applyItem(task, items, i, values, failures);
        }
      }
    }
    return true;
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
    } catch (Throwable t) {
      recordFailure(i, t, values, failures);
    }
  }

  /**
   * Item {@code i} threw {@code t}: an {@code OutOfMemoryError} fails the item (the task's garbage
   * is unreachable now) and stops the worker after this batch; any other {@link VirtualMachineError}
   * is the worker's failure, not the item's, and propagates.
   */
  private void recordFailure(int i, Throwable t, Object[] values, Throwable[] failures) {
    if (t instanceof OutOfMemoryError e) {
      values[i] = null;
      failures[i] = new WorkerOutOfMemoryException(ProcessHandle.current().pid(), Runtime.getRuntime().maxMemory(), e);
      outOfMemory = e.toString();
      return;
    }
    if (t instanceof VirtualMachineError e) {
      throw e;
    }
    failures[i] = t;
  }
}
