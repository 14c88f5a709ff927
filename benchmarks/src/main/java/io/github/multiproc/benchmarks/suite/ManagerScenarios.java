package io.github.multiproc.benchmarks.suite;

import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.WorkerOutput;
import io.github.multiproc.processpool.manager.Manager;
import io.github.multiproc.processpool.manager.ManagerBatch;
import java.util.HashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The manager's scenarios, measured as Python's {@code Manager().dict()} is in
 * {@code benchmarks/python/peer.py}: a fresh manager, a worker process that warms up, then times
 * {@code ops} operations on a shared map of {@code int} values under 1,000 string keys, and
 * returns operations per second.
 */
final class ManagerScenarios {

  /** The operation a repetition times. */
  enum Op { SET, GET, PUT_ALL, BATCH_SET }

  /** Operations before timing the batch forms, so the worker's and the manager's JITs have compiled the path. */
  static final int WARM_UP_OPS = 20_000;
  /**
   * Operations before timing a steady-state single-operation row: measured on a quiet machine,
   * a worker's rate kept climbing for ~150,000 gets (~130 k ops/s over the 100,000 after 20,000
   * warm-up operations, 400 k-1 M ops/s after 200,000), while its JIT compiled the whole call.
   */
  static final int STEADY_WARM_UP_OPS = 200_000;
  /** Operations per round trip in the batch scenario (Python: one {@code update} of as many keys). */
  static final int BATCH = 100;

  private ManagerScenarios() {}

  static double opsPerSecond(Op op, int ops) throws Exception {
    return opsPerSecond(op, WARM_UP_OPS, ops);
  }

  /**
   * Times {@code ops} operations from a fresh worker process, after {@code warmUpOps} untimed ones.
   *
   * @param op the operation
   * @param warmUpOps operations before timing (0: the worker's first operations, JIT cold)
   * @param ops operations timed
   * @return operations per second
   * @throws Exception if the manager or the worker fails
   */
  static double opsPerSecond(Op op, int warmUpOps, int ops) throws Exception {
    try (Manager manager = Manager.builder().output(WorkerOutput.DISCARD).start()) {
      ConcurrentMap<String, Integer> map = manager.map("bench");
      for (int i = 0; i < 1_000; i++) {
        map.put("k" + i, i);
      }
      JvmProcess<Double> worker = JvmProcess.builder().output(WorkerOutput.DISCARD).start(() -> {
        run(map, op, warmUpOps);
        long t0 = System.nanoTime();
        run(map, op, ops);
        return ops / ((System.nanoTime() - t0) / 1e9);
      });
      double value = worker.result();
      worker.join();
      return value;
    }
  }

  private static void run(ConcurrentMap<String, Integer> map, Op op, int ops) {
    switch (op) {
      case SET -> {
        for (int i = 0; i < ops; i++) {
          map.put("k" + i % 1_000, i);
        }
      }
      case GET -> {
        long sum = 0;
        for (int i = 0; i < ops; i++) {
          sum += map.get("k" + i % 1_000);
        }
        if (sum < 0) {
          throw new IllegalStateException("impossible sum " + sum);
        }
      }
      case PUT_ALL -> {
        for (int i = 0; i < ops; i += BATCH) {
          HashMap<String, Integer> entries = new HashMap<>();
          for (int j = i; j < i + BATCH; j++) {
            entries.put("k" + j % 1_000, j);
          }
          map.putAll(entries);
        }
      }
      case BATCH_SET -> {
        for (int i = 0; i < ops; i += BATCH) {
          ManagerBatch batch = new ManagerBatch();
          ConcurrentMap<String, Integer> m = batch.on(map);
          for (int j = i; j < i + BATCH; j++) {
            m.put("k" + j % 1_000, j);
          }
          batch.run();
        }
      }
    }
  }
}
