package io.github.multiproc.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of one call that are dispatched and not yet consumed, in dispatch order, and the
 * choice of which one the caller consumes next: the oldest ({@code imap}), any completed one
 * ({@code imapUnordered}, and {@code map} while inputs remain), or the oldest once every input is
 * dispatched ({@code map}, waiting in input order as {@code invokeAll} does).
 *
 * {@snippet :
 * while (reader has inputs && window.hasRoom()) window.add(dispatch(next chunk));
 * ChunkRun<T, R> run = window.nextCompleted();   // blocks until a run is handed over
 * }
 *
 * <p>Consumed runs leave from the head of the deque; a consumed run behind a slow one stays until
 * the slow one is consumed, or until the deque outgrows {@code 2 * max + 64} and is compacted, so
 * a slow early chunk cannot make it grow without bound.
 *
 * <p>Thread safety: not thread-safe; the caller's thread only. It shares nothing with completing
 * threads but the {@link CompletionSink}.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
final class RunWindow<T, R> {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(RunWindow.class);
  }

  private final ArrayDeque<ChunkRun<T, R>> dispatched = new ArrayDeque<>();
  private final CompletionSink<T, R> sink;
  private final CompletionQueue<ChunkRun<T, R>> completed; // sink.completed
  private final int max;
  private int outstanding; // dispatched and not yet consumed

  /**
   * Creates an empty window.
   *
   * @param sink the call's sink, through which completing threads hand runs over
   * @param max the most runs dispatched and not yet consumed
   */
  RunWindow(CompletionSink<T, R> sink, int max) {
    this.sink = sink;
    this.completed = sink.completed;
    this.max = max;
  }

  /** {@return whether another run may be dispatched} */
  boolean hasRoom() {
    return outstanding < max;
  }

  /** {@return the number of runs dispatched and not yet consumed} */
  int outstanding() {
    return outstanding;
  }

  /**
   * Adds a run that {@code dispatch} returned.
   *
   * @param run the run, its future set
   */
  void add(ChunkRun<T, R> run) {
    dispatched.addLast(run);
    outstanding++;
  }

  /**
   * Consumes the oldest run, done or not ({@code imap}: the caller then waits on its future). In
   * {@code ORDERED} mode runs are consumed only here, so the head is never consumed yet.
   *
   * @return the oldest run not yet consumed
   */
  ChunkRun<T, R> nextOldest() {
    ChunkRun<T, R> run = dispatched.peekFirst();
    consumed(run);
    return run;
  }

  /**
   * Consumes the next run handed over by a completing thread, waiting for one if need be.
   *
   * @return a completed run
   * @throws InterruptedException if interrupted while waiting
   */
  ChunkRun<T, R> nextCompleted() throws InterruptedException {
    ChunkRun<T, R> run = completed.take();
    consumed(run);
    return run;
  }

  /**
   * Consumes the oldest run once it is done ({@code map} once every input is dispatched). The
   * window no longer needs refilling, so completing threads hand over only what the caller must
   * see at once (a run not answered in place, such as one with a failure) and the run it waits
   * for; the caller finds the rest done where they are. That saves a contended hand-off per run.
   * A run may be both consumed in order and handed over; {@code consumed} makes the second a
   * no-op. The wait is the Dekker pair described in {@link CompletionSink}.
   *
   * @return the oldest run, done; or an earlier-handed-over run not yet consumed (a failure)
   * @throws InterruptedException if interrupted while waiting
   */
  ChunkRun<T, R> nextInInputOrder() throws InterruptedException {
    sink.enterInputOrder();
    while (true) {
      ChunkRun<T, R> oldest = dispatched.peekFirst(); // consumed() keeps the head unconsumed
      if (oldest.future.isDone() || sink.announceAwaited(oldest)) {
        consumed(oldest);
        return oldest;
      }
      ChunkRun<T, R> handed = completed.take(); // a failure, the awaited run, or one handed over before
      if (!handed.consumed) {
        consumed(handed);
        return handed;
      }
    }
  }

  /**
   * Cancels every run not yet consumed and empties the window. A backend's {@code cancel} that
   * throws is logged and the others are still cancelled: the caller is about to report a failure,
   * or its interrupt, and a failed cancellation must not replace it.
   */
  void cancelAll() {
    for (ChunkRun<T, R> run : dispatched) {
      if (!run.consumed) {
        try {
          run.future.cancel(true);
        } catch (RuntimeException e) {
          Log.LOG.warn("cancelling {} failed; the call goes on failing", run.chunk.description(), e);
        }
      }
    }
    dispatched.clear();
    outstanding = 0;
  }

  /** Marks a run as taken by the caller; drops consumed runs from the head of the deque. */
  private void consumed(ChunkRun<T, R> run) {
    run.consumed = true;
    outstanding--;
    while (!dispatched.isEmpty() && dispatched.peekFirst().consumed) {
      dispatched.pollFirst();
    }
    if (dispatched.size() > 2 * max + 64) {
      dispatched.removeIf(q -> q.consumed); // a slow early chunk must not make the deque grow without bound
    }
  }
}
