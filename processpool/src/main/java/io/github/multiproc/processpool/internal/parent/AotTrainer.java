package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trains a pool's AOT cache ({@link AotCache}) in the background, once per class path: one extra
 * short-lived worker JVM driven by {@link AotTrainingSession}. A pool's close lets it finish for a
 * while, then kills it, so no training JVM outlives its pool.
 *
 * <p>Thread safety: {@link #startIfNeeded} once, then {@link #stop} from any thread.
 */
final class AotTrainer {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration TRAINING_DEADLINE = Duration.ofSeconds(60);
  private static final Duration WAIT_ON_CLOSE = Duration.ofSeconds(10);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private final AtomicReference<Process> training = new AtomicReference<>();
  private volatile Thread thread;

  /** Starts the training if the cache needs one. */
  void startIfNeeded(AotCache cache, WorkerCommand command, Codec codec) {
    if (cache.needsTraining()) {
      thread = Thread.ofPlatform().daemon().name("multiproc-aot-" + IDS.incrementAndGet())
          .start(() -> cache.train(command, codec, TRAINING_DEADLINE, training::set));
    }
  }

  /**
   * Lets the training finish (up to a few seconds), or kills it.
   *
   * @param kill kill it at once
   * @throws InterruptedException if interrupted; the training is killed first
   */
  void stop(boolean kill) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      if (kill || !t.join(WAIT_ON_CLOSE)) {
        destroy();
        t.join(EXIT_WAIT);
      }
    } catch (InterruptedException e) {
      destroy();
      throw e;
    }
  }

  private void destroy() {
    Process p = training.get();
    if (p != null) {
      p.destroyForcibly();
    }
  }
}
