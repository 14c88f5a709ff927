package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.multiproc.Idempotent;
import io.github.multiproc.Task;
import io.github.multiproc.spi.Chunk;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drives the {@link Scheduler} with generated sequences of what can happen to a pool — batches
 * submitted, workers answering, dropping recalled batches, stopping, dying, joining; chunks
 * cancelled — against simulated workers that behave as the protocol says (they run what they hold
 * in order, the oldest first), and checks the pool's guarantees after every step and at the end:
 *
 * <ul>
 *   <li>every batch ends at most once (answered, or failed with its dead worker), and at the end,
 *       once the surviving workers answered everything, every batch not cancelled ended exactly once;
 *   <li>a batch that may have run (it was the oldest held by a worker that died) is never sent
 *       again unless its call is idempotent, and then at most the retry limit;
 *   <li>nothing is sent to a dead or retired worker; no worker holds more than two batches.
 * </ul>
 *
 * QuickTheories shrinks a failing sequence to a short one.
 */
class SchedulerModelTest {

  private static final int RETRIES = 2;
  private static final Task<Object, Object> PLAIN = x -> x;
  private static final Task<Object, Object> IDEMPOTENT = Idempotent.task(x -> x);

  @Test
  void shouldKeepEveryGuaranteeUnderAnySequenceOfEvents() {
    qt().withExamples(400).withShrinkCycles(2000).forAll(
        integers().between(1, 3),
        integers().between(0, 3), // max items per worker: 0 (none) or small
        lists().of(integers().between(0, 999)).ofSizeBetween(1, 80)
    ).checkAssert((workers, limit, ops) -> new World(workers, limit * 3L).run(ops));
  }

  @Test
  void shouldRecallAWaitingBatchForAnIdleWorker() {
    World w = new World(2, 0);
    w.submit(false); // b1 -> worker 0
    w.submit(false); // b2 -> worker 1
    w.submit(false); // b3 -> worker 0, waiting behind b1
    w.submit(false); // b4 -> worker 1, waiting behind b2
    w.answer(1);     // b2 done
    w.answer(1);     // b4 done: worker 1 is idle, nothing queued -> recall b3 from worker 0
    assertThat(w.recalls).hasSize(1);
    w.dropRecalled();
    assertThat(w.held(1)).hasSize(1); // b3 now runs on worker 1
    w.run(List.of()); // the survivors answer the rest
  }

  @Test
  void shouldDrainOnlyWhatBusyWorkersHaveNotStartedAndSkipIdleOnes() {
    World w = new World(2, 0);
    w.submit(false); // worker 0: running
    w.submit(false); // worker 1: running
    w.submit(false); // worker 0: waiting
    w.answer(1);     // worker 1 idle (it takes the recall, not a drain)
    w.recalls.clear();
    assertThat(w.scheduler.drainUnstarted()).hasSize(1); // never throws on an idle worker (shutdownNow hung)
  }

  @Test
  void shouldHonourAnAnswerThatCameBeforeTheDeath() {
    World w = new World(1, 0);
    w.submit(false);
    w.submit(false);
    w.answer(0);   // the first batch's answer was read before the death was
    w.die(0);      // the second was running: it fails, the first stays answered
    assertThat(w.failed).hasSize(1);
    assertThat(w.answered).hasSize(1);
    assertThat(w.failed).doesNotContainAnyElementsOf(w.answered);
  }

  /** Simulated workers and the model of what must hold. */
  private static final class World implements Scheduler.Actions<Integer> {
    final Scheduler<Integer> scheduler;
    final Map<Integer, ArrayDeque<Batch>> inbox = new LinkedHashMap<>(); // live workers' held batches, oldest first
    final Set<Integer> gone = new HashSet<>();
    final Map<Long, Batch> all = new LinkedHashMap<>();
    final Set<Long> answered = new HashSet<>();
    final Set<Long> failed = new HashSet<>();
    final Set<Long> mayHaveRun = new HashSet<>(); // oldest held by a worker that died
    final Map<Long, Integer> sends = new HashMap<>();
    final List<Map.Entry<Integer, Batch>> recalls = new ArrayList<>();
    int nextWorker;
    long nextId = 1;

    World(int workers, long maxItems) {
      scheduler = new Scheduler<>(this, maxItems, RETRIES);
      for (int i = 0; i < workers; i++) {
        join();
      }
    }

    void run(List<Integer> ops) {
      for (int op : ops) {
        int kind = op % 8;
        int arg = op / 8;
        switch (kind) {
          case 0, 1 -> submit(arg % 3 == 0);
          case 2, 3 -> answer(pick(arg));
          case 4 -> die(pick(arg));
          case 5 -> dropRecalled();
          case 6 -> cancel(arg);
          default -> {
            if (arg % 2 == 0) {
              join();
            } else {
              stopping(pick(arg));
            }
          }
        }
        checkStep();
      }
      if (inbox.isEmpty()) {
        join(); // a replacement, as the fleet would start
      }
      for (int guard = 0; guard < 10_000 && !scheduler.idle(); guard++) { // drain: survivors answer all
        if (!recalls.isEmpty()) {
          dropRecalled();
        } else if (inbox.keySet().stream().noneMatch(w -> !inbox.get(w).isEmpty())) {
          join();
        } else {
          answer(inbox.keySet().stream().filter(w -> !inbox.get(w).isEmpty()).findFirst().orElseThrow());
        }
        checkStep();
      }
      checkEnd();
    }

    Integer pick(int arg) {
      List<Integer> live = new ArrayList<>(inbox.keySet());
      return live.isEmpty() ? -1 : live.get(arg % live.size());
    }

    void join() {
      int w = nextWorker++;
      inbox.put(w, new ArrayDeque<>());
      scheduler.workerReady(w);
    }

    void submit(boolean idempotent) {
      PoolCall call = new PoolCall(nextId++, 0, 0, new byte[0], idempotent ? IDEMPOTENT : PLAIN);
      PoolRun<Object> chunk = new PoolRun<>(call, new Chunk<>(0, List.of(1, 2, 3)));
      Batch b = new Batch(nextId++, chunk, 0, 3, ByteBuffer.allocate(16).putLong(call.id()).putLong(0).array());
      all.put(b.id, b);
      scheduler.submit(b);
    }

    void answer(Integer w) {
      ArrayDeque<Batch> held = inbox.get(w);
      if (held == null || held.isEmpty()) {
        return;
      }
      Batch b = held.removeFirst(); // a worker answers in order
      assertThat(scheduler.answered(w, b.id)).isSameAs(b);
      assertThat(answered.add(b.id)).as("answered twice: %s", b).isTrue();
      assertThat(failed).doesNotContain(b.id);
    }

    void die(Integer w) {
      ArrayDeque<Batch> held = inbox.remove(w);
      if (held == null) {
        return;
      }
      gone.add(w);
      recalls.removeIf(r -> r.getKey().equals(w));
      if (!held.isEmpty()) {
        mayHaveRun.add(held.peekFirst().id);
      }
      Scheduler.Death d = scheduler.workerDied(w);
      if (d.lost() != null) {
        assertThat(d.lost().id).isEqualTo(held.peekFirst().id);
        assertThat(failed.add(d.lost().id)).isTrue();
        assertThat(answered).doesNotContain(d.lost().id);
      }
      if (d.retried() != null) {
        assertThat(d.retried().call.idempotent()).isTrue();
      }
    }

    void dropRecalled() {
      if (recalls.isEmpty()) {
        return;
      }
      Map.Entry<Integer, Batch> r = recalls.removeFirst();
      ArrayDeque<Batch> held = inbox.get(r.getKey());
      if (held == null || !held.contains(r.getValue())) {
        return; // answered meanwhile, or the worker died
      }
      if (held.peekFirst() == r.getValue()) {
        return; // it started: the worker ignores the recall and answers it later
      }
      held.remove(r.getValue());
      assertThat(scheduler.dropped(r.getKey(), r.getValue().id)).isSameAs(r.getValue());
    }

    void cancel(int arg) {
      List<Batch> open = all.values().stream()
          .filter(b -> !answered.contains(b.id) && !failed.contains(b.id) && !b.isCancelled()).toList();
      if (open.isEmpty()) {
        return;
      }
      Batch b = open.get(arg % open.size());
      b.chunk.future.cancel(true);
      scheduler.cancel(b.chunk);
    }

    void stopping(Integer w) {
      if (inbox.containsKey(w)) {
        scheduler.retiring(w);
      }
    }

    List<Batch> held(int w) {
      return new ArrayList<>(inbox.get(w));
    }

    void checkStep() {
      for (ArrayDeque<Batch> held : inbox.values()) {
        assertThat(held.size()).isLessThanOrEqualTo(Scheduler.BATCHES_PER_WORKER);
      }
    }

    void checkEnd() {
      for (Batch b : all.values()) {
        boolean ended = answered.contains(b.id) || failed.contains(b.id);
        if (!b.isCancelled()) {
          assertThat(ended).as("%s never ended", b).isTrue();
        }
        assertThat(answered.contains(b.id) && failed.contains(b.id)).isFalse();
      }
    }

    /* ---- the scheduler's actions ---- */

    @Override
    public void define(Integer worker, PoolCall call) {
      assertThat(gone).doesNotContain(worker);
    }

    @Override
    public void send(Integer worker, Batch batch) {
      assertThat(gone).as("sent to a dead or retired worker").doesNotContain(worker);
      assertThat(answered).as("sent after it was answered").doesNotContain(batch.id);
      assertThat(failed).as("sent after it failed").doesNotContain(batch.id);
      int n = sends.merge(batch.id, 1, Integer::sum);
      if (mayHaveRun.contains(batch.id)) {
        assertThat(batch.call.idempotent()).as("%s may have run and is not idempotent, yet sent again", batch).isTrue();
      }
      long deaths = mayHaveRunCount(batch);
      assertThat(deaths).isLessThanOrEqualTo(RETRIES);
      assertThat(n).isPositive();
      inbox.get(worker).addLast(batch);
    }

    private long mayHaveRunCount(Batch batch) {
      return batch.attempts;
    }

    @Override
    public void recall(Integer worker, Batch batch) {
      recalls.add(Map.entry(worker, batch));
    }

    @Override
    public void release(Integer worker, PoolCall call) {
    }

    @Override
    public void cancel(Integer worker, Batch batch) {
      ArrayDeque<Batch> held = inbox.get(worker);
      if (held != null && held.peekFirst() != batch && held.remove(batch)) {
        assertThat(scheduler.dropped(worker, batch.id)).isSameAs(batch); // cancelled before it ran
      }
    }

    @Override
    public void retire(Integer worker) {
      ArrayDeque<Batch> held = inbox.remove(worker);
      assertThat(held).as("retired while holding batches").isNullOrEmpty();
      gone.add(worker);
    }
  }
}
