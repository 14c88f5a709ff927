package io.github.multiproc.internal;

import io.github.multiproc.MapOptions;
import io.github.multiproc.ProgressListener;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.jfr.CallEvent;
import io.github.multiproc.jfr.JfrEvents;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * One {@code map}, {@code imap} or {@code imapUnordered} call: reads inputs into chunks, keeps at
 * most {@code maxInFlight} runs dispatched and not yet consumed, and hands results back in the
 * order the mode asks for. It is the caller's side of the call; its parts each have one job:
 *
 * <pre>
 *   caller thread                                     completing threads
 *   ─────────────                                     ──────────────────
 *   InputReader   inputs → Chunk
 *   MapCall       fill(): dispatcher.dispatch(chunk, run) ──▶ backend runs the chunk,
 *                 collect()/next(): consume a run,             completes run.future, then
 *                 yield its items; on a failed item             run.accept() →
 *                 cancel every outstanding run, throw     CompletionSink.onComplete(): sizer,
 *   RunWindow     runs in flight; which one is next  ◀──      progress, values in place,
 *                 (oldest / any completed / input order)      hand-off through CompletionQueue
 * </pre>
 *
 * <p>A {@code map} whose input size is known is answered in place: the thread that completes a
 * chunk without failures writes its values straight into the result slots ({@code direct},
 * {@link ResultSlots}: ints stay ints), so the caller reads no chunk result, only the run's
 * record or future (one cache line per chunk that another core wrote, instead of four: record,
 * future, result and its values). Other chunks, and the lazy modes, hand their result to the
 * caller, which reads it.
 *
 * <p>Thread safety: not thread-safe; one thread at a time iterates, as {@link Iterator}
 * requires. Everything here but the {@link CompletionSink} is touched only by that thread.
 * Cancellation ({@code future.cancel(true)}) is how the backend learns to stop work.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class MapCall<T, R> implements Iterator<R> {

  private static final int MAX_LIST_SIZE = Integer.MAX_VALUE - 8; // the largest array a JVM allocates

  /** What the caller wants back. */
  public enum Mode {
    /** All results at once, in input order; fail fast on the first failure to complete. */
    MAP,
    /** Lazily, in input order. */
    ORDERED,
    /** Lazily, in completion order. */
    UNORDERED
  }

  private final ChunkDispatcher<T, R> dispatcher;
  private final Mode mode;
  private final InputReader<T> reader;
  private final CompletionSink<T, R> sink; // what completing threads touch: on cache lines of its own
  private final RunWindow<T, R> window;
  private final ResultSlots direct; // sink.direct: MAP with a known size, written by completing threads

  private boolean sourceDone;
  private boolean finished;
  private ChunkRun<T, R> current;
  private ChunkResult<R> currentResult;
  private int position;
  private final Object jfr; // JfrEvents.callBegin: null unless a JFR recording wants call events
  private String outcome; // set when the call ends other than by completing: CallEvent's outcome

  /**
   * Starts nothing yet: the first {@link #collect}, {@link #hasNext} or {@link #next} dispatches.
   *
   * @param dispatcher the backend's dispatcher for this call
   * @param inputs the inputs
   * @param options the call's options (progress listener)
   * @param mode what the caller wants back
   * @param workers the pool's workers, for the automatic chunk size
   * @param maxInFlight the most chunks dispatched and not yet consumed
   * @param chunkSize a fixed chunk size, or 0 for an automatic one
   * @param meter the pool's counters, told of every chunk's end
   */
  public MapCall(ChunkDispatcher<T, R> dispatcher, Iterable<? extends T> inputs, MapOptions options,
      Mode mode, int workers, int maxInFlight, int chunkSize, PoolMeter meter) {
    this.jfr = JfrEvents.callBegin(meter.pool(), mode == Mode.MAP ? CallEvent.MAP
        : mode == Mode.ORDERED ? CallEvent.IMAP : CallEvent.IMAP_UNORDERED);
    this.dispatcher = dispatcher;
    this.mode = mode;
    long total = inputs instanceof Collection<?> c ? c.size() : ProgressListener.UNKNOWN_TOTAL;
    ChunkSizer sizer = sizer(mode, total, workers, chunkSize);
    this.sink = new CompletionSink<>(mode, sizer, meter,
        options.progressListener().map(l -> new ProgressReporter(l, total)).orElse(null),
        mode == Mode.MAP && total >= 0 && total <= MAX_LIST_SIZE ? new ResultSlots((int) total) : null);
    this.direct = sink.direct;
    this.window = new RunWindow<>(sink, maxInFlight);
    try {
      this.reader = new InputReader<>(inputs, total, sizer, mode == Mode.MAP);
    } catch (RuntimeException e) { // inputs.iterator() threw
      dispatcher.close();
      throw e;
    }
  }

  private static ChunkSizer sizer(Mode mode, long total, int workers, int chunkSize) {
    int cap = mode == Mode.MAP ? Integer.MAX_VALUE : MapOptions.MAX_AUTO_CHUNK_SIZE;
    if (chunkSize > 0) {
      return ChunkSizer.fixed(chunkSize);
    }
    return total >= 0 ? ChunkSizer.forKnownTotal(total, workers, cap) : ChunkSizer.adaptive(cap);
  }

  /**
   * Runs the call to the end and returns every result in input order ({@link Mode#MAP}).
   *
   * @return the results
   */
  public List<R> collect() {
    Object[] out = direct != null ? null : new Object[16]; // results that are not in direct's slots
    fill();
    while (window.outstanding() > 0) {
      ChunkRun<T, R> run = nextForMap();
      Chunk<T> chunk = run.chunk;
      if (run.delivered) {
        if (out != null) { // the input grew past its size at the start: out is a larger copy
          direct.copyTo((int) chunk.firstIndex(), chunk.size(), out);
        }
        fill();
        continue; // its values are in place already
      }
      ChunkResult<R> result = await(run);
      int failed = result.firstFailure();
      if (failed >= 0) {
        throw fail(chunk.indexOf(failed), result.failure(failed));
      }
      if (out == null && chunk.firstIndex() + chunk.size() <= direct.size()) {
        // done, but its callback has not put it in place yet (seen in input order): the caller
        // does, so that the slots hold every result whichever thread got there first
        direct.deliver((int) chunk.firstIndex(), result);
        fill();
        continue;
      }
      if (out == null) { // grown: everything delivered so far moves into a larger array
        out = new Object[direct.size()];
        direct.copyTo(0, direct.size(), out);
      }
      out = ensureRoom(out, chunk.firstIndex() + chunk.size());
      result.copyValuesTo(out, (int) chunk.firstIndex());
      fill();
    }
    finish();
    long count = reader.nextIndex();
    if (out == null) {
      return direct.list((int) count);
    }
    @SuppressWarnings("unchecked")
    List<R> results = (List<R>) Arrays.asList(out.length == count ? out : Arrays.copyOf(out, (int) count));
    return Collections.unmodifiableList(results);
  }

  @Override
  public boolean hasNext() {
    if (currentResult != null && position < currentResult.size()) {
      return true;
    }
    if (finished) {
      return false;
    }
    fill();
    if (window.outstanding() == 0) {
      finish();
      return false;
    }
    return true;
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more results");
    }
    if (currentResult == null || position == currentResult.size()) {
      current = mode == Mode.ORDERED ? window.nextOldest() : nextCompleted();
      currentResult = await(current);
      position = 0;
      fill();
    }
    int i = position++;
    if (currentResult.failed(i)) {
      throw fail(current.chunk.indexOf(i), currentResult.failure(i));
    }
    return currentResult.value(i);
  }

  /** Dispatches chunks until the window is full or the inputs are exhausted. */
  private void fill() {
    while (!sourceDone && window.hasRoom()) {
      Chunk<T> chunk;
      try {
        chunk = reader.next();
      } catch (RuntimeException e) { // the caller's inputs threw
        abort();
        throw e;
      }
      if (chunk == null) {
        sourceDone = true;
        return;
      }
      ChunkRun<T, R> run = new ChunkRun<>(sink, chunk);
      run.startNanos = PoolMeter.startNanos(chunk);
      try {
        run.future = dispatcher.dispatch(chunk, run); // run may complete before this returns
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
      window.add(run);
    }
  }

  /**
   * The next run {@code map} consumes: any completed one while inputs remain, so that the window
   * refills at once; in input order once every input is dispatched
   * ({@link RunWindow#nextInInputOrder}). Always in completion order when the results must be
   * gathered by hand (unknown size) or a progress listener is set: {@code map} must return only
   * after its last report, which runs after the future is done (seen done is too early).
   */
  private ChunkRun<T, R> nextForMap() {
    if (!sourceDone || direct == null || sink.progress != null) {
      return nextCompleted();
    }
    try {
      return window.nextInInputOrder();
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private ChunkRun<T, R> nextCompleted() {
    try {
      return window.nextCompleted();
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /** Grows {@code out} to hold {@code end} results ({@code map} of unknown or outgrown size). */
  private Object[] ensureRoom(Object[] out, long end) {
    if (end <= out.length) {
      return out;
    }
    if (end > MAX_LIST_SIZE) {
      abort();
      throw new IllegalStateException("map cannot return more than " + MAX_LIST_SIZE
          + " results in a List; use imap");
    }
    return Arrays.copyOf(out, (int) Math.min(Math.max(end, 2L * out.length), MAX_LIST_SIZE));
  }

  private ChunkResult<R> await(ChunkRun<T, R> run) {
    try {
      return run.future.get();
    } catch (InterruptedException e) {
      run.future.cancel(true); // already counted as consumed, so abort() would not see it
      throw interrupted(e);
    } catch (ExecutionException e) {
      throw fail(run.chunk.firstIndex(), e.getCause());
    } catch (CancellationException e) {
      throw fail(run.chunk.firstIndex(), e);
    }
  }

  private RuntimeException fail(long index, Throwable failure) {
    abort();
    return failure instanceof TaskFailedException tfe
        ? tfe.withCallerStackTrace() // a backend built it on its own thread: show the caller's frames
        : new TaskFailedException(index, failure);
  }

  private CancellationException interrupted(InterruptedException e) {
    outcome = CallEvent.CANCELLED;
    int cancelled = window.outstanding();
    abort();
    Thread.currentThread().interrupt(); // keep the caller's interrupt status
    CancellationException ce = new CancellationException(
        "interrupted while waiting for results; cancelled " + cancelled + " outstanding chunk(s)");
    ce.initCause(e);
    return ce;
  }

  private void abort() {
    if (outcome == null) {
      outcome = CallEvent.FAILED;
    }
    window.cancelAll();
    sourceDone = true;
    currentResult = null;
    finish();
  }

  private void finish() {
    if (!finished) {
      finished = true;
      dispatcher.close();
      JfrEvents.callEnd(jfr, reader.nextIndex(), outcome == null ? CallEvent.COMPLETED : outcome);
    }
  }
}
