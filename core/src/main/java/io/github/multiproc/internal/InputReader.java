package io.github.multiproc.internal;

import io.github.multiproc.spi.Chunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * Reads one call's inputs into {@link Chunk}s, a chunk at a time, sized by the call's
 * {@link ChunkSizer}. A random-access list is sliced: for {@code map} each chunk is a view of the
 * caller's list, for the lazy calls a copy of the slice (a bulk copy, no iterator); any other iterable is read through its iterator, and only as far as asked, so an
 * endless input is never read ahead of the window of chunks in flight.
 *
 * {@snippet :
 * InputReader<T> reader = new InputReader<>(inputs, total, sizer, false);
 * for (Chunk<T> chunk; (chunk = reader.next()) != null; ) { ... }
 * }
 *
 * <p>Thread safety: not thread-safe; used by the caller's thread only, as the {@code Pool}
 * contract requires of the input iterable.
 *
 * @param <T> the input type
 */
final class InputReader<T> {

  private final Iterator<? extends T> source; // null when the inputs are a random-access list
  private final List<? extends T> randomAccess; // or null
  private final long total; // the input's size when it started, or ProgressListener.UNKNOWN_TOTAL
  private final ChunkSizer sizer;
  private final boolean views; // chunks of a random-access list are views of it, not copies
  private long nextIndex;

  /**
   * Starts reading; asks a non-random-access iterable for its iterator now.
   *
   * @param inputs the call's inputs
   * @param total their size if known, else a negative number
   * @param sizer chooses each chunk's size
   * @param views whether chunks of a random-access list may be views of it (see {@link #sliceOfList})
   * @throws RuntimeException what {@code inputs.iterator()} threw
   */
  InputReader(Iterable<? extends T> inputs, long total, ChunkSizer sizer, boolean views) {
    this.total = total;
    this.sizer = sizer;
    this.views = views;
    if (inputs instanceof List<? extends T> list && inputs instanceof RandomAccess) {
      this.randomAccess = list;
      this.source = null;
    } else {
      this.randomAccess = null;
      this.source = inputs.iterator();
    }
  }

  /**
   * Reads the next chunk.
   *
   * @return the chunk, or null once the inputs are exhausted
   * @throws RuntimeException what the inputs threw
   */
  Chunk<T> next() {
    int size = sizer.next();
    List<T> items = randomAccess != null ? sliceOfList(size) : readFromIterator(size);
    if (items == null) {
      return null;
    }
    Chunk<T> chunk = new Chunk<>(nextIndex, items);
    nextIndex += items.size();
    return chunk;
  }

  /** {@return how many inputs were read so far: the index of the next one} */
  long nextIndex() {
    return nextIndex;
  }

  /**
   * The next {@code size} inputs of a random-access list, or null at its end. For {@code map}
   * ({@code views}) a view of the caller's list: the caller is inside {@code map} until every
   * chunk is answered or cancelled, so the list cannot change under a chunk (a cancelled chunk
   * still running on a thread after {@code map} threw reads a list the caller may change, and its
   * results are dropped anyway). That saves copying every input once: 17.7% of the parent's
   * allocation in a process pool's {@code map} of 100k integers (JFR allocation samples, 5.2 MB a
   * map), which a fresh JVM pays in page faults while its young generation grows. The lazy calls
   * ({@code imap}) hand the caller results while chunks are still pending, so they copy.
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
    return views ? Collections.unmodifiableList(slice) : new ArrayList<>(slice);
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
}
