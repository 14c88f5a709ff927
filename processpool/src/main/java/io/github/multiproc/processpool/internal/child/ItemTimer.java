package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.TaskTimeoutException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The worker's per-item timeout: the executor {@linkplain #arm arms} it before an item of a call
 * with a timeout and {@linkplain #disarm disarms} it after. At the deadline the executor is
 * interrupted and the item fails with {@link TaskTimeoutException} (with the CPU time it had, which
 * tells an item starved of CPU from one that computed all along); if the item still runs a grace
 * period later, it fails with {@link TaskTimeoutException} and the worker {@linkplain Overrun stops}:
 * it answers the batch up to that item (the parent sends the items never started again) and
 * halts, and the parent replaces it.
 *
 * <p>Thread safety: {@code arm} and {@code disarm} are called by the executor thread only, around
 * one item; the alarm and the stop run on the timer thread ({@code multiproc-timer-1}, a daemon
 * made for the first timed item). Which item is armed, and whether it timed out, are guarded by
 * the worker's lock, which the timer holds while it interrupts the executor or stops the worker:
 * an alarm or a stop that fires after its item ended does nothing, and the executor clears the
 * alarm's interrupt under the lock, so it never reaches the next item.
 */
final class ItemTimer {

  /** What the worker does when an item ignored its timeout for the grace period. */
  @FunctionalInterface
  interface Overrun {

    /**
     * Answers the running batch up to the item that overran, tells the parent why, and halts the
     * worker; called on the timer thread, holding the worker's lock, and does not return.
     *
     * @param batchId the running batch
     * @param answered how many items to answer, from the batch's first; the last is the one that
     *     overran, failed with {@link TaskTimeoutException}
     * @param values the batch's values
     * @param failures the batch's failures
     * @param start the batch's {@link System#nanoTime()} at its start
     * @param why the reason, for the parent and the worker's stderr
     */
    void stop(long batchId, int answered, Object[] values, Throwable[] failures, long start, String why);
  }

  private final Object lock;
  private final Overrun overrun;

  private ScheduledThreadPoolExecutor timer; // executor thread only: created for the first timed item
  private volatile ThreadMXBean cpuClock; // set by the timer thread: items measured once it is there

  private Thread executor; // guarded by lock: the thread running the armed item
  private long armedBatch = -1; // guarded by lock
  private int armedItem = -1; // guarded by lock: the batch-relative index of the armed item
  private boolean timedOut; // guarded by lock

  // executor thread only: the armed item's
  private ScheduledFuture<?> alarm;
  private ScheduledFuture<?> stop;
  private ThreadMXBean clock;
  private long cpuAtStart;
  private long index;
  private Duration timeout;

  /**
   * @param lock the worker's lock, which also guards its writes to the parent
   * @param overrun stops the worker when an item overruns its grace period
   */
  ItemTimer(Object lock, Overrun overrun) {
    this.lock = lock;
    this.overrun = overrun;
  }

  /**
   * Starts the clock of item {@code i}, on the executor thread, just before it runs.
   *
   * @param batchId the running batch
   * @param i the item's index in the batch
   * @param index the item's absolute index (for the exception)
   * @param def the call, with its timeout and grace period
   * @param values the batch's values
   * @param failures the batch's failures
   * @param start the batch's {@link System#nanoTime()} at its start
   */
  void arm(long batchId, int i, long index, CallDefinition def, Object[] values, Throwable[] failures, long start) {
    Duration timeout = Duration.ofNanos(def.taskTimeoutNanos);
    synchronized (lock) {
      executor = Thread.currentThread();
      armedBatch = batchId;
      armedItem = i;
      timedOut = false;
      if (timer == null) {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("multiproc-timer-1").factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.execute(this::startCpuClock); // off the item's path: ~40 ms on a cold JVM
      }
    }
    this.index = index;
    this.timeout = timeout;
    alarm = timer.schedule(() -> {
      synchronized (lock) {
        if (armedBatch == batchId && armedItem == i) {
          timedOut = true;
          executor.interrupt();
        }
      }
    }, def.taskTimeoutNanos, TimeUnit.NANOSECONDS);
    stop = timer.schedule(() -> {
      synchronized (lock) {
        if (armedBatch != batchId || armedItem != i) {
          return;
        }
        failures[i] = new TaskTimeoutException(index, timeout);
        values[i] = null;
        overrun.stop(batchId, i + 1, values, failures, start, "the worker was stopped because input #" + index
            + " ignored its timeout of " + timeout + " for a grace period of "
            + Duration.ofNanos(def.taskTimeoutGraceNanos));
      }
    }, def.taskTimeoutNanos + def.taskTimeoutGraceNanos, TimeUnit.NANOSECONDS);
    clock = cpuClock;
    cpuAtStart = clock == null ? -1 : clock.getCurrentThreadCpuTime();
  }

  /**
   * Stops the clock of item {@code i}, on the executor thread, once it ended however it ended; if
   * the deadline passed, the item's value is dropped, it fails with {@link TaskTimeoutException}
   * and the alarm's interrupt is cleared.
   *
   * @param i the item's index in the batch, as armed
   * @param values the batch's values
   * @param failures the batch's failures
   */
  void disarm(int i, Object[] values, Throwable[] failures) {
    alarm.cancel(false);
    stop.cancel(false);
    Duration cpu = cpuAtStart < 0 ? null : Duration.ofNanos(clock.getCurrentThreadCpuTime() - cpuAtStart);
    synchronized (lock) {
      armedBatch = -1;
      armedItem = -1;
      if (timedOut) {
        values[i] = null;
        failures[i] = new TaskTimeoutException(index, timeout, cpu);
        Thread.interrupted(); // the alarm's interrupt, not a cancel: clear it
      }
    }
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
}
