package io.github.multiproc.internal;

import io.github.multiproc.MapOptions;
import io.github.multiproc.ProgressListener;
import io.github.multiproc.TaskFailedException;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * One {@code map}, {@code imap} or {@code imapUnordered} call: reads inputs into chunks, keeps at
 * most {@code maxInFlight} chunks dispatched and not yet consumed, and hands results back in the
 * order the mode asks for.
 *
 * <pre>
 *   caller thread                         backend threads
 *   ─────────────                         ───────────────
 *   fill(): read inputs → Chunk ──────▶  dispatcher.dispatch(chunk) → future
 *   next(): wait for the head (ORDERED)
 *           or any completed (UNORDERED, MAP) ◀── future completes with ChunkResult
 *           yield items; on a failed item: cancel every outstanding future, close, throw
 * </pre>
 *
 * <p>A {@code map} whose input size is known is answered in place: the thread that completes a
 * chunk without failures writes its values straight into the result array ({@code direct}), so
 * the caller never reads a chunk's result, only its queue entry (one cache line per chunk that
 * another core wrote, instead of four: entry, future, result and its values). Other chunks, and
 * the lazy modes, hand their result to the caller, which reads it.
 *
 * <p>Every field except the completion queue, the sizer, the progress reporter and the slots of
 * {@code direct} is touched only by the thread that iterates (one at a time, as
 * {@link java.util.Iterator} requires). Each slot of {@code direct} is written once, by the thread
 * that completes its chunk, before that chunk enters the completion queue; the queue's volatile
 * link makes the write visible to the caller that takes the chunk.
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
  private final Iterator<? extends T> source; // null when the inputs are a random-access list
  private final List<? extends T> randomAccess; // copied a chunk at a time (bulk copy, no iterator)
  private final Mode mode;
  private final int maxInFlight;
  private final long total;
  private final ChunkSizer sizer;
  private final ProgressReporter progress;
  private final Object[] direct; // MAP with a known size: results written by completing threads

  /** Dispatched chunks in dispatch order; consumed ones leave from the head (or in a compaction). */
  private final ArrayDeque<Pending<T, R>> dispatched = new ArrayDeque<>();
  private final CompletionQueue<Pending<T, R>> completed = new CompletionQueue<>();
  private int outstanding; // dispatched and not yet consumed

  private long nextIndex;
  private boolean sourceDone;
  private boolean finished;
  private Pending<T, R> current;
  private ChunkResult<R> currentResult;
  private int position;

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
   */
  public MapCall(ChunkDispatcher<T, R> dispatcher, Iterable<? extends T> inputs, MapOptions options,
      Mode mode, int workers, int maxInFlight, int chunkSize) {
    this.dispatcher = dispatcher;
    this.mode = mode;
    this.maxInFlight = maxInFlight;
    this.total = inputs instanceof Collection<?> c ? c.size() : ProgressListener.UNKNOWN_TOTAL;
    int cap = mode == Mode.MAP ? Integer.MAX_VALUE : MapOptions.MAX_AUTO_CHUNK_SIZE;
    if (chunkSize > 0) {
      this.sizer = ChunkSizer.fixed(chunkSize);
    } else if (total >= 0) {
      this.sizer = ChunkSizer.forKnownTotal(total, workers, cap);
    } else {
      this.sizer = ChunkSizer.adaptive(cap);
    }
    this.progress = options.progressListener().map(l -> new ProgressReporter(l, total)).orElse(null);
    this.direct = mode == Mode.MAP && total >= 0 && total <= MAX_LIST_SIZE ? new Object[(int) total] : null;
    Iterator<? extends T> it = null;
    if (inputs instanceof List<? extends T> list && inputs instanceof RandomAccess) {
      this.randomAccess = list;
    } else {
      this.randomAccess = null;
      try {
        it = inputs.iterator();
      } catch (RuntimeException e) {
        dispatcher.close();
        throw e;
      }
    }
    this.source = it;
  }

  /**
   * Runs the call to the end and returns every result in input order ({@link Mode#MAP}).
   *
   * @return the results
   */
  public List<R> collect() {
    Object[] out = direct != null ? direct : new Object[16];
    fill();
    while (outstanding > 0) {
      Pending<T, R> p = takeCompleted();
      if (p.delivered) {
        if (out != direct) { // the input grew past its size at the start: out is a larger copy
          System.arraycopy(direct, (int) p.chunk.firstIndex(), out, (int) p.chunk.firstIndex(), p.chunk.size());
        }
        fill();
        continue; // its values are in place already
      }
      ChunkResult<R> result = await(p);
      Chunk<T> chunk = p.chunk;
      for (int i = 0; i < result.size(); i++) {
        if (result.failed(i)) {
          throw fail(chunk.indexOf(i), result.failure(i));
        }
      }
      long end = chunk.firstIndex() + chunk.size();
      if (end > out.length) {
        if (end > MAX_LIST_SIZE) {
          abort();
          throw new IllegalStateException("map cannot return more than " + MAX_LIST_SIZE
              + " results in a List; use imap");
        }
        out = Arrays.copyOf(out, (int) Math.min(Math.max(end, 2L * out.length), MAX_LIST_SIZE));
      }
      for (int i = 0; i < result.size(); i++) {
        out[(int) chunk.indexOf(i)] = result.value(i);
      }
      fill();
    }
    finish();
    @SuppressWarnings("unchecked")
    List<R> results = (List<R>) Arrays.asList(out.length == nextIndex ? out : Arrays.copyOf(out, (int) nextIndex));
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
    if (outstanding == 0) {
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
      current = mode == Mode.ORDERED ? oldestUnconsumed() : takeCompleted();
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

  private void fill() {
    while (!sourceDone && outstanding < maxInFlight) {
      Chunk<T> chunk = readChunk();
      if (chunk == null) {
        sourceDone = true;
        return;
      }
      Pending<T, R> p = new Pending<>(this, chunk);
      try {
        p.future = dispatcher.dispatch(chunk, p); // p may complete before this returns
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
      dispatched.addLast(p);
      outstanding++;
    }
  }

  private Chunk<T> readChunk() {
    int size = sizer.next();
    if (randomAccess != null) {
      return readRandomAccessChunk(size);
    }
    if (size == 1) { // the common case for waiting-heavy work: no list to grow
      try {
        if (!source.hasNext()) {
          return null;
        }
        Chunk<T> chunk = new Chunk<>(nextIndex, Collections.singletonList(source.next()));
        nextIndex++;
        return chunk;
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
    }
    long remaining = total >= 0 ? total - nextIndex : Long.MAX_VALUE; // exact when the size is known
    List<T> items = new ArrayList<>((int) Math.max(1, Math.min(size, Math.min(remaining, 1024L * 1024))));
    try {
      while (items.size() < size && source.hasNext()) {
        items.add(source.next());
      }
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    if (items.isEmpty()) {
      return null;
    }
    Chunk<T> chunk = new Chunk<>(nextIndex, items);
    nextIndex += items.size();
    return chunk;
  }

  private Chunk<T> readRandomAccessChunk(int size) {
    List<T> items;
    try {
      int available = randomAccess.size();
      if (nextIndex >= available) {
        return null;
      }
      int from = (int) nextIndex;
      int to = (int) Math.min(available, from + (long) size);
      items = to - from == 1 ? Collections.singletonList(randomAccess.get(from))
          : new ArrayList<>(randomAccess.subList(from, to));
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    Chunk<T> chunk = new Chunk<>(nextIndex, items);
    nextIndex += items.size();
    return chunk;
  }

  private void onComplete(Pending<T, R> p, ChunkResult<R> result) {
    if (result != null) {
      sizer.record(result.size(), result.executionNanos());
      if (progress != null) {
        progress.completed(result.size());
      }
      if (direct != null) {
        deliver(p, result);
      }
    }
    if (mode != Mode.ORDERED) {
      completed.add(p);
    }
  }

  /** In the completing thread: writes a chunk's values into {@code direct} unless one failed. */
  private void deliver(Pending<T, R> p, ChunkResult<R> result) {
    for (int i = 0; i < result.size(); i++) {
      if (result.failed(i)) {
        return; // the caller reads the result and throws
      }
    }
    Chunk<T> chunk = p.chunk;
    if (chunk.firstIndex() + chunk.size() > direct.length) {
      return; // the input grew while it was read: the caller copies this one into a larger array
    }
    int first = (int) chunk.firstIndex();
    for (int i = 0; i < result.size(); i++) {
      direct[first + i] = result.value(i);
    }
    p.delivered = true; // published by the completion queue's volatile link
  }

  private Pending<T, R> takeCompleted() {
    Pending<T, R> p;
    try {
      p = completed.take();
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
    consumed(p);
    return p;
  }

  private Pending<T, R> oldestUnconsumed() {
    Pending<T, R> p = dispatched.peekFirst(); // in ORDERED mode the head is never consumed yet
    consumed(p);
    return p;
  }

  /** Marks a chunk as taken by the caller; drops consumed chunks from the head of the deque. */
  private void consumed(Pending<T, R> p) {
    p.consumed = true;
    outstanding--;
    while (!dispatched.isEmpty() && dispatched.peekFirst().consumed) {
      dispatched.pollFirst();
    }
    if (dispatched.size() > 2 * maxInFlight + 64) {
      dispatched.removeIf(q -> q.consumed); // a slow early chunk must not make the deque grow without bound
    }
  }

  private ChunkResult<R> await(Pending<T, R> p) {
    try {
      return p.future.get();
    } catch (InterruptedException e) {
      p.future.cancel(true); // already counted as consumed, so abort() would not see it
      throw interrupted(e);
    } catch (ExecutionException e) {
      throw fail(p.chunk.firstIndex(), e.getCause());
    } catch (CancellationException e) {
      throw fail(p.chunk.firstIndex(), e);
    }
  }

  private RuntimeException fail(long index, Throwable failure) {
    abort();
    return failure instanceof TaskFailedException tfe ? tfe : new TaskFailedException(index, failure);
  }

  private CancellationException interrupted(InterruptedException e) {
    int cancelled = outstanding;
    abort();
    Thread.currentThread().interrupt(); // keep the caller's interrupt status
    CancellationException ce = new CancellationException(
        "interrupted while waiting for results; cancelled " + cancelled + " outstanding chunk(s)");
    ce.initCause(e);
    return ce;
  }

  private void abort() {
    for (Pending<T, R> p : dispatched) {
      if (!p.consumed) {
        p.future.cancel(true);
      }
    }
    dispatched.clear();
    outstanding = 0;
    sourceDone = true;
    currentResult = null;
    finish();
  }

  private void finish() {
    if (!finished) {
      finished = true;
      dispatcher.close();
    }
  }

  /**
   * A dispatched chunk, its own completion callback and its own link in the completion queue
   * (no lambda or queue node per chunk). {@code consumed} is touched only by the caller's thread.
   */
  private static final class Pending<T, R> extends CompletionQueue.Node
      implements BiConsumer<ChunkResult<R>, Throwable> {
    final MapCall<T, R> call;
    final Chunk<T> chunk;
    CompletableFuture<ChunkResult<R>> future; // set by the caller's thread after dispatch; read only there
    boolean consumed;
    boolean delivered; // written by the completing thread before the chunk enters the queue

    Pending(MapCall<T, R> call, Chunk<T> chunk) {
      this.call = call;
      this.chunk = chunk;
    }

    @Override
    public void accept(ChunkResult<R> result, Throwable error) {
      call.onComplete(this, result);
    }
  }
}
