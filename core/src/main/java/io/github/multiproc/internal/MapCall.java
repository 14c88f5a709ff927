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
 *   fill(): read inputs → Chunk ──────▶  dispatcher.dispatch(chunk, pending) → future
 *   next(): wait for the head (ORDERED)
 *           or any completed (UNORDERED)  ◀── future completes with ChunkResult;
 *   collect() (MAP): any completed while          pending.accept() hands it over
 *           inputs remain, then in input order    (MAP in input order: only failures and
 *                                                  the awaited chunk)
 *           yield items; on a failed item: cancel every outstanding future, close, throw
 * </pre>
 *
 * <p>A {@code map} whose input size is known is answered in place: the thread that completes a
 * chunk without failures writes its values straight into the result array ({@code direct}), so
 * the caller reads no chunk result, only the chunk's entry or future (one cache line per chunk
 * that another core wrote, instead of four: entry, future, result and its values). Other
 * chunks, and the lazy modes, hand their result to the caller, which reads it.
 *
 * <p>Every field except those of {@link Sink} (the completion queue, the sizer, the progress
 * reporter, the slots of {@code direct}, {@code inInputOrder} and {@code awaited}) is touched only
 * by the thread that iterates (one at a time, as {@link java.util.Iterator} requires). The slots of {@code direct} are written by the thread that
 * completes their chunk, then the chunk's volatile {@code delivered} flag; the caller relies on
 * the slots only once it read that flag true. If it finds the chunk done before that, it writes
 * the same values itself from the result. Cancellation ({@code future.cancel(true)}) is how the backend learns to stop work.
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
  private final Sink<T, R> sink; // what completing threads read: on cache lines of its own
  private final Object[] direct; // sink.direct: MAP with a known size, written by completing threads
  private final CompletionQueue<Pending<T, R>> completed; // sink.completed

  /** Dispatched chunks in dispatch order; consumed ones leave from the head (or in a compaction). */
  private final ArrayDeque<Pending<T, R>> dispatched = new ArrayDeque<>();
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
    this.sink = new Sink<>(mode, sizer,
        options.progressListener().map(l -> new ProgressReporter(l, total)).orElse(null),
        mode == Mode.MAP && total >= 0 && total <= MAX_LIST_SIZE ? new Object[(int) total] : null);
    this.direct = sink.direct;
    this.completed = sink.completed;
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
      Pending<T, R> p = nextForMap();
      if (p.delivered) {
        if (out != direct) { // the input grew past its size at the start: out is a larger copy
          System.arraycopy(direct, (int) p.chunk.firstIndex(), out, (int) p.chunk.firstIndex(), p.chunk.size());
        }
        fill();
        continue; // its values are in place already
      }
      ChunkResult<R> result = await(p);
      Chunk<T> chunk = p.chunk;
      int failed = result.firstFailure();
      if (failed >= 0) {
        throw fail(chunk.indexOf(failed), result.failure(failed));
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
      Pending<T, R> p = new Pending<>(sink, chunk);
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
    List<T> items;
    try {
      items = randomAccess != null ? sliceOfList(size) : readFromIterator(size);
    } catch (RuntimeException e) { // the caller's inputs threw
      abort();
      throw e;
    }
    if (items == null) {
      return null;
    }
    Chunk<T> chunk = new Chunk<>(nextIndex, items);
    nextIndex += items.size();
    return chunk;
  }

  /**
   * The next {@code size} inputs of a random-access list, or null at its end. For {@code map} a
   * view of the caller's list: the caller is inside {@code map} until every chunk is answered or
   * cancelled, so the list cannot change under a chunk (a cancelled chunk still running on a
   * thread after {@code map} threw reads a list the caller may change, and its results are
   * dropped anyway). That saves copying every input once: 17.7% of the parent's allocation in a
   * process pool's {@code map} of 100k integers (JFR allocation samples, 5.2 MB a map), which a
   * fresh JVM pays in page faults while its young generation grows. The lazy calls ({@code imap})
   * hand the caller results while chunks are still pending, so they copy.
   */
  private List<T> sliceOfList(int size) {
    int available = randomAccess.size();
    if (nextIndex >= available) {
      return null;
    }
    int from = (int) nextIndex;
    int to = (int) Math.min(available, from + (long) size);
    if (to - from == 1) {
      return Collections.singletonList(randomAccess.get(from));
    }
    List<? extends T> slice = randomAccess.subList(from, to);
    return mode == Mode.MAP ? Collections.unmodifiableList(slice) : new ArrayList<>(slice);
  }

  /** The next {@code size} inputs of the iterator, or null at its end. */
  private List<T> readFromIterator(int size) {
    if (!source.hasNext()) {
      return null;
    }
    if (size == 1) { // the common case for waiting-heavy work: no list to grow
      return Collections.singletonList(source.next());
    }
    long remaining = total >= 0 ? total - nextIndex : Long.MAX_VALUE; // exact when the size is known
    List<T> items = new ArrayList<>((int) Math.max(1, Math.min(size, Math.min(remaining, 1024L * 1024))));
    do {
      items.add(source.next());
    } while (items.size() < size && source.hasNext());
    return items;
  }

  /**
   * The next chunk {@code map} consumes. While inputs remain, any completed chunk, so that the
   * window refills at once. Once every input is dispatched, in input order, as
   * {@code invokeAll} does: completing threads then hand over only what the caller must see at
   * once (a chunk not answered in place, such as one with a failure) and the chunk it waits for,
   * and the caller reads the rest where they are. That saves a contended hand-off per chunk.
   *
   * <p>The wait is a Dekker pair of volatiles: the caller writes {@code awaited}, then reads the
   * future; a completing thread completes the future, then reads {@code awaited}; at least one
   * sees the other, so the awaited chunk is either seen done or handed over. A chunk may be both
   * consumed in order and handed over; {@code consumed} makes the second a no-op.
   */
  private Pending<T, R> nextForMap() {
    if (!sourceDone || direct == null || sink.progress != null) {
      // window not full yet, or results to gather by hand, or a progress listener: map must return
      // only after its last report, which runs after the future is done (seen done is too early)
      return takeCompleted();
    }
    if (!sink.inInputOrder) {
      sink.inInputOrder = true;
    }
    while (true) {
      Pending<T, R> oldest = dispatched.peekFirst(); // consumed() keeps the head unconsumed
      if (oldest.future.isDone()) {
        consumed(oldest);
        return oldest;
      }
      sink.awaited = oldest;
      if (oldest.future.isDone()) {
        consumed(oldest);
        return oldest;
      }
      Pending<T, R> handed;
      try {
        handed = completed.take(); // a failure, or the awaited chunk, or one handed over before
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
      if (!handed.consumed) {
        consumed(handed);
        return handed;
      }
    }
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
   * The part of a call that completing threads read, on cache lines of its own (padded by the
   * class hierarchy, see {@code SinkFields}): the caller writes its own state (counters, indices)
   * on every chunk, and a completing thread that read those lines would make the caller miss on
   * its next write, once per chunk. Only {@code inInputOrder} (once) and {@code awaited} (when the
   * caller must wait) are written after construction.
   */
  @SuppressWarnings("unused") // the padding fields
  static final class Sink<T, R> extends SinkFields<T, R> {
    private byte z00, z01, z02, z03, z04, z05, z06, z07, z08, z09, z10, z11, z12, z13, z14, z15;
    private byte z16, z17, z18, z19, z20, z21, z22, z23, z24, z25, z26, z27, z28, z29, z30, z31;
    private byte z32, z33, z34, z35, z36, z37, z38, z39, z40, z41, z42, z43, z44, z45, z46, z47;
    private byte z48, z49, z50, z51, z52, z53, z54, z55, z56, z57, z58, z59, z60, z61, z62, z63;

    Sink(Mode mode, ChunkSizer sizer, ProgressReporter progress, Object[] direct) {
      super(mode, sizer, progress, direct);
    }

    void onComplete(Pending<T, R> p, ChunkResult<R> result) {
      try {
        if (result != null) {
          sizer.record(result.size(), result.executionNanos());
          if (progress != null) {
            progress.completed(result.size());
          }
          if (direct != null) {
            deliver(p, result);
          }
        }
      } finally {
        handOver(p); // even if a progress listener threw an Error: the caller must not wait forever
      }
    }

    private void handOver(Pending<T, R> p) {
      if (mode == Mode.ORDERED) {
        return; // the caller waits on each future in turn
      }
      if (inInputOrder && p.delivered && awaited != p) {
        return; // the caller will find it done when it gets there: no hand-off, no wake-up
      }
      completed.add(p);
    }

    /** In the completing thread: writes a chunk's values into {@code direct} unless one failed. */
    private void deliver(Pending<T, R> p, ChunkResult<R> result) {
      if (result.firstFailure() >= 0) {
        return; // the caller reads the result and throws
      }
      Chunk<T> chunk = p.chunk;
      if (chunk.firstIndex() + chunk.size() > direct.length) {
        return; // the input grew while it was read: the caller copies this one into a larger array
      }
      int first = (int) chunk.firstIndex();
      for (int i = 0; i < result.size(); i++) {
        direct[first + i] = result.value(i);
      }
      p.delivered = true; // volatile: whoever sees it true sees the slots
    }
  }

  /**
   * A dispatched chunk, its own completion callback and its own link in the completion queue
   * (no lambda or queue node per chunk). {@code consumed} is touched only by the caller's thread.
   */
  static final class Pending<T, R> extends CompletionQueue.Node
      implements BiConsumer<ChunkResult<R>, Throwable> {
    final Sink<T, R> sink;
    final Chunk<T> chunk;
    CompletableFuture<ChunkResult<R>> future; // set by the caller's thread after dispatch; read only there
    boolean consumed;
    // written by the completing thread after the chunk's slots in direct: the caller may see the
    // future done before this, and then gathers the values itself (the same values)
    volatile boolean delivered;

    Pending(Sink<T, R> sink, Chunk<T> chunk) {
      this.sink = sink;
      this.chunk = chunk;
    }

    @Override
    public void accept(ChunkResult<R> result, Throwable error) {
      sink.onComplete(this, result);
    }
  }
}

// ---- layout of MapCall.Sink: 64 bytes of padding, its fields, 64 bytes of padding (bytes: see CompletionQueue) ----

abstract class SinkFields<T, R> extends CacheLinePadding {
  final MapCall.Mode mode;
  final ChunkSizer sizer;
  final ProgressReporter progress; // or null
  final Object[] direct; // MAP with a known size: results written by completing threads, or null
  final CompletionQueue<MapCall.Pending<T, R>> completed = new CompletionQueue<>();
  volatile boolean inInputOrder; // MAP, every input dispatched: see MapCall.nextForMap
  volatile MapCall.Pending<T, R> awaited; // in input order: the chunk the caller waits for

  SinkFields(MapCall.Mode mode, ChunkSizer sizer, ProgressReporter progress, Object[] direct) {
    this.mode = mode;
    this.sizer = sizer;
    this.progress = progress;
    this.direct = direct;
  }
}
