package io.github.multiproc.processpool.internal.parent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which worker runs which batch, with no I/O and no threads of its own: the pool's
 * event loop calls it, and it tells its {@link Actions} what to send. It is the only place that
 * knows which batches each worker holds, so the pool's guarantees live here and are tested here
 * by a model ({@code SchedulerModelTest}):
 *
 * <ul>
 *   <li><b>Exactly once.</b> Every batch ends once: answered, dropped back and sent elsewhere, or
 *       failed. A batch a worker may have started (the oldest it held when it died) is never
 *       sent again, unless its call is idempotent and has retries left.
 *   <li><b>Honour what was said.</b> A worker's answers are applied in the order it wrote them,
 *       and its death after all of them ({@link WorkerConnection} reports the death last), so a
 *       batch it finished is never counted as the one it was running.
 *   <li><b>Never to the dead.</b> Nothing is sent to a worker after its death or retirement.
 *   <li><b>Bounded.</b> A worker holds at most {@link #BATCHES_PER_WORKER} batches: one running, one
 *       waiting in its pipe so it never idles between batches.
 *   <li><b>No queueing behind a long item.</b> A worker that falls idle while nothing is queued
 *       recalls a busy worker's waiting batch ({@code RECALL}: dropped if not started) and runs it.
 * </ul>
 *
 * <p>Worker lifecycle as seen here: {@code ready} ({@link #workerReady}) → optionally
 * {@code retiring} (its item limit reached, it said STOPPING, or the watchdog gave up on it: it
 * gets nothing more and leaves once it holds nothing) → gone ({@link #workerDied} or
 * {@link Actions#retire}).
 *
 * <p>Thread safety: none; confined to the pool's event loop.
 *
 * @param <W> the worker handle
 */
final class Scheduler<W> {

  /** The most batches one worker holds at once. */
  static final int BATCHES_PER_WORKER = 2;

  /** What the scheduler asks of the rest of the pool. Called on the event loop. */
  interface Actions<W> {
    /** Send the call's task to the worker, before its first batch of the call. */
    void define(W worker, PoolCall call);

    /** Send the batch to the worker. */
    void send(W worker, Batch batch);

    /** Ask the worker to drop the batch if it has not started it. */
    void recall(W worker, Batch batch);

    /** Tell the worker to forget the call's task. */
    void release(W worker, PoolCall call);

    /** Interrupt the batch in the worker (it was cancelled); the caller arms the grace. */
    void cancel(W worker, Batch batch);

    /** The worker holds nothing and takes nothing more: shut it down (and replace it unless closing). */
    void retire(W worker);
  }

  /**
   * What a worker's death did to the batches it held.
   *
   * @param lost the batch it was running, to fail; null if none, or if it runs again
   * @param retried the batch it was running, sent again (idempotent call); null if none
   * @param requeued the batches it held but never started, back at the head of the queue
   */
  record Death(Batch lost, Batch retried, List<Batch> requeued) {}

  private final Actions<W> actions;
  private final long maxItemsPerWorker;
  private final int idempotentRetries;
  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private final Map<W, Slot> slots = new LinkedHashMap<>();

  /**
   * @param actions what to do
   * @param maxItemsPerWorker retire a worker after this many items, 0 for never
   * @param idempotentRetries how often a batch of an idempotent call runs again after its worker died
   */
  Scheduler(Actions<W> actions, long maxItemsPerWorker, int idempotentRetries) {
    this.actions = actions;
    this.maxItemsPerWorker = maxItemsPerWorker;
    this.idempotentRetries = idempotentRetries;
  }

  /** A worker is ready for batches. */
  void workerReady(W worker) {
    slots.put(worker, new Slot(worker));
    pump();
  }

  /** Queues a batch. */
  void submit(Batch batch) {
    queue.addLast(batch);
    pump();
  }

  /**
   * The worker answered a batch.
   *
   * @return the batch, or null if the worker did not hold it (a stale or forged id)
   */
  Batch answered(W worker, long batchId) {
    Slot s = slots.get(worker);
    Batch b = s == null ? null : s.held.remove(batchId);
    if (b == null) {
      return null;
    }
    s.itemsRun += b.count;
    if (maxItemsPerWorker > 0 && s.itemsRun >= maxItemsPerWorker) {
      s.retiring = true;
    }
    settle(s);
    return b;
  }

  /**
   * The worker dropped a batch without running it (cancelled, recalled, or stopping): unless it
   * was cancelled, it goes back to the head of the queue.
   *
   * @return the batch, or null if the worker did not hold it
   */
  Batch dropped(W worker, long batchId) {
    Slot s = slots.get(worker);
    Batch b = s == null ? null : s.held.remove(batchId);
    if (b == null) {
      return null;
    }
    if (!b.isCancelled()) {
      b.recalled = false;
      queue.addFirst(b);
    }
    settle(s);
    return b;
  }

  /** The worker will stop (or must get nothing more): it leaves once it holds nothing. */
  void retiring(W worker) {
    Slot s = slots.get(worker);
    if (s != null) {
      s.retiring = true;
      settle(s);
    }
  }

  /**
   * The worker is gone, after everything it wrote was applied.
   *
   * @return what happened to its batches (empty if it held none or was unknown)
   */
  Death workerDied(W worker) {
    Slot s = slots.remove(worker);
    if (s == null || s.held.isEmpty()) {
      pump();
      return new Death(null, null, List.of());
    }
    List<Batch> held = new ArrayList<>(s.held.values()); // in the order sent: the first may have started
    Batch running = held.getFirst();
    List<Batch> requeued = new ArrayList<>();
    for (int i = held.size() - 1; i >= 1; i--) {
      Batch b = held.get(i);
      if (!b.isCancelled()) {
        queue.addFirst(b);
        requeued.addFirst(b);
      }
    }
    Batch lost = null;
    Batch retried = null;
    if (!running.isCancelled() && running.call.idempotent() && running.attempts < idempotentRetries) {
      running.attempts++;
      queue.addFirst(running);
      retried = running;
    } else {
      lost = running;
    }
    pump();
    return new Death(lost, retried, requeued);
  }

  /**
   * A chunk's future was cancelled: its queued batches leave the queue; a held one is
   * interrupted in its worker.
   *
   * @param chunk the chunk
   * @return the batches that were held by a worker (the caller arms the grace for them)
   */
  List<Held<W>> cancel(PoolRun<?> chunk) {
    queue.removeIf(b -> b.chunk == chunk);
    List<Held<W>> held = new ArrayList<>();
    for (Slot s : slots.values()) {
      for (Batch b : s.held.values()) {
        if (b.chunk == chunk) {
          actions.cancel(s.worker, b);
          held.add(new Held<>(s.worker, b));
        }
      }
    }
    return held;
  }

  /**
   * @param worker a worker
   * @param batch a batch
   * @param <W> the worker handle
   */
  record Held<W>(W worker, Batch batch) {}

  /** @return whether the worker still holds the batch */
  boolean holds(W worker, Batch batch) {
    Slot s = slots.get(worker);
    return s != null && s.held.get(batch.id) == batch;
  }

  /** A call ended: workers that hold its task forget it. */
  void release(PoolCall call) {
    for (Slot s : slots.values()) {
      if (s.defined.remove(call.id())) {
        actions.release(s.worker, call);
      }
    }
  }

  /** @return the queued batches, oldest first, and removes them */
  List<Batch> drainQueue() {
    List<Batch> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  /** @return the batches the workers hold but have not started (all but each one's oldest), removing them */
  List<Batch> drainUnstarted() {
    List<Batch> all = new ArrayList<>();
    for (Slot s : slots.values()) {
      Iterator<Batch> it = s.held.values().iterator();
      if (!it.hasNext()) {
        continue; // an idle worker holds nothing to drain
      }
      it.next(); // the oldest may be running: it stays
      while (it.hasNext()) {
        all.add(it.next());
        it.remove();
      }
    }
    return all;
  }

  /** @return whether nothing is queued and no worker holds anything */
  boolean idle() {
    return queue.isEmpty() && slots.values().stream().allMatch(s -> s.held.isEmpty());
  }

  /** @return whether any worker may still take a batch (ready or holding work) */
  boolean hasWorkers() {
    return !slots.isEmpty();
  }

  /** @return how many batches are queued */
  int queued() {
    return queue.size();
  }

  /** @return how many workers hold at least one batch */
  int busyWorkers() {
    int busy = 0;
    for (Slot s : slots.values()) {
      if (!s.held.isEmpty()) {
        busy++;
      }
    }
    return busy;
  }

  /** @return how many batches the workers hold, in all */
  int heldBatches() {
    int n = 0;
    for (Slot s : slots.values()) {
      n += s.held.size();
    }
    return n;
  }

  /** @return how many batches the worker holds (0 if unknown) */
  int heldBy(W worker) {
    Slot s = slots.get(worker);
    return s == null ? 0 : s.held.size();
  }

  /** @return the workers, in the order they became ready */
  List<W> workers() {
    return new ArrayList<>(slots.keySet());
  }

  private void settle(Slot s) {
    if (s.retiring && s.held.isEmpty()) {
      slots.remove(s.worker);
      actions.retire(s.worker);
    }
    pump();
  }

  private void pump() {
    while (!queue.isEmpty()) {
      Slot best = null;
      for (Slot s : slots.values()) {
        if (s.accepts(queue.peekFirst()) && (best == null || s.held.size() < best.held.size())) {
          best = s;
        }
      }
      if (best == null) {
        break;
      }
      Batch b = queue.removeFirst();
      if (b.isCancelled()) {
        continue;
      }
      if (best.defined.add(b.call.id())) {
        actions.define(best.worker, b.call);
      }
      best.held.put(b.id, b);
      actions.send(best.worker, b);
    }
    if (queue.isEmpty()) {
      recallForIdleWorkers();
    }
  }

  /**
   * Lets idle workers take over batches that wait behind a running one elsewhere: each idle
   * worker triggers at most one RECALL at a time, of the newest waiting batch.
   */
  private void recallForIdleWorkers() {
    int idle = 0;
    for (Slot s : slots.values()) {
      if (!s.retiring && s.held.isEmpty()) {
        idle++;
      }
    }
    for (Slot s : slots.values()) {
      if (idle == 0) {
        return;
      }
      if (s.held.size() < 2) {
        continue;
      }
      Batch waiting = null;
      for (Batch b : s.held.values()) {
        waiting = b; // the newest; the oldest is running
      }
      if (waiting != null && !waiting.recalled && !waiting.isCancelled()) {
        waiting.recalled = true;
        actions.recall(s.worker, waiting);
        idle--;
      }
    }
  }

  private final class Slot {
    final W worker;
    final LinkedHashMap<Long, Batch> held = new LinkedHashMap<>(); // in the order sent
    final Set<Long> defined = new HashSet<>();
    long itemsRun;
    boolean retiring;

    Slot(W worker) {
      this.worker = worker;
    }

    /** A worker takes no batch past its item limit: it runs at most limit + batch size - 1 items. */
    boolean accepts(Batch next) {
      if (retiring || held.size() >= BATCHES_PER_WORKER) {
        return false;
      }
      if (maxItemsPerWorker == 0) {
        return true;
      }
      long heldItems = 0;
      for (Batch b : held.values()) {
        heldItems += b.count;
      }
      return itemsRun + heldItems < maxItemsPerWorker;
    }
  }
}
