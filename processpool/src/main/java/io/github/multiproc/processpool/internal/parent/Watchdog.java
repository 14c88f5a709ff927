package io.github.multiproc.processpool.internal.parent;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices wedged workers. Every heartbeat interval it pings each live worker, whose protocol
 * reader answers at once even while a task runs, and kills a worker that
 *
 * <ul>
 *   <li>has finished no frame for the heartbeat timeout (stopped by {@code SIGSTOP}, deadlocked
 *       in native code, frozen by swapping), unless a frame is crossing the pipe at
 *       {@link #MIN_FLOWING_BYTES_PER_SECOND} or more since its first byte (a large answer on a
 *       loaded machine: a 64 MiB frame took 7 s at load 19; a worker that trickles a forged frame
 *       is still killed), or
 *   <li>left a frame unfinished for {@link #stallLimit} since its first byte while it arrives
 *       slower than that rate (a truncated frame from a broken or hostile worker: whatever it
 *       writes next, its answers to pings too, only fills the forged frame, a trickle).
 * </ul>
 *
 * Before a kill the pool gives the worker nothing more, so no batch is handed to a worker that is
 * about to die.
 *
 * <p>Thread safety: runs on the pool's timer thread.
 */
final class Watchdog {

  private final PoolSettings settings;
  private final Fleet fleet;
  private final ScheduledExecutorService timer;
  private final Consumer<WorkerProcess> giveNothingMore;
  private final Duration stallLimit;
  private long sequence;

  Watchdog(PoolSettings settings, Fleet fleet, ScheduledExecutorService timer, Consumer<WorkerProcess> giveNothingMore) {
    this.settings = settings;
    this.fleet = fleet;
    this.timer = timer;
    this.giveNothingMore = giveNothingMore;
    this.stallLimit = stallLimit(settings.heartbeatInterval(), settings.heartbeatTimeout());
  }

  /** The least rate at which a frame in progress counts as the worker being heard. */
  static final double MIN_FLOWING_BYTES_PER_SECOND = 1 << 20;

  /** A frame left unfinished for three heartbeats (at least 1 s, at most the heartbeat timeout) is truncated. */
  static Duration stallLimit(Duration interval, Duration timeout) {
    /* Added, not multipliedBy(3): Duration's multiply and divide go through BigDecimal, whose
       first use costs a fresh parent ~25 ms and 2.2 MB on the way to its first worker
       (docs/performance-log.md). */
    Duration three = interval.plus(interval).plus(interval);
    Duration atLeast = three.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : three;
    return atLeast.compareTo(timeout) > 0 ? timeout : atLeast;
  }

  void start() {
    long every = settings.heartbeatInterval().toNanos();
    timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.NANOSECONDS);
  }

  private void beat() {
    long now = System.nanoTime();
    long limit = settings.heartbeatTimeout().toNanos();
    sequence++;
    for (WorkerProcess w : fleet.live()) {
      long silent = now - w.lastHeardNanos();
      long unfinished = w.unfinishedFrameNanos(now);
      boolean flowing = w.unfinishedFrameBytesPerSecond(now) >= MIN_FLOWING_BYTES_PER_SECOND;
      if (unfinished > stallLimit.toNanos() && !flowing) {
        giveNothingMore.accept(w);
        w.kill("it left a frame unfinished for " + Duration.ofNanos(unfinished).toMillis() + " ms after its first byte ("
            + w.unfinishedFrameBytes() + " byte(s) so far, a trickle): a truncated frame (a broken or hostile worker)");
      } else if (silent > limit && !flowing) {
        giveNothingMore.accept(w);
        w.kill("unresponsive: no frame for " + Duration.ofNanos(silent).toMillis() + " ms, not even an answer to "
            + "the heartbeat (heartbeatTimeout " + settings.heartbeatTimeout() + "); stopped (SIGSTOP) or wedged?");
      } else {
        w.ping(sequence);
      }
    }
  }
}
