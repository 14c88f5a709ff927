package io.github.multiproc.internal;

import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkResult;

/**
 * What the threads that complete a call's runs touch: the chunk sizer, the progress reporter,
 * the result array of a {@code map} whose size is known, and the {@link CompletionQueue} that
 * hands runs to the caller. It sits on cache lines of its own, padded by the class hierarchy
 * ({@link CompletionSinkFields}): the caller writes its own state (counters, indices) on every
 * chunk, and a completing thread that read those lines would make the caller miss on its next
 * write, once per chunk.
 *
 * {@snippet :
 * CompletionSink<T, R> sink = new CompletionSink<>(MapCall.Mode.MAP, sizer, meter, null, new Object[n]);
 * // completing thread, through ChunkRun.accept:   sink.onComplete(run, result);
 * // caller, once every input is dispatched:       sink.enterInputOrder();
 * //                                                if (!sink.announceAwaited(oldest)) sink.completed.take();
 * }
 *
 * <p><b>Hand-off rules.</b> {@code ORDERED} calls wait on each future in turn: nothing is handed
 * over. Otherwise every completed run is added to {@link CompletionSinkFields#completed}, except,
 * once the caller waits in input order, a run whose values were delivered in place and that the
 * caller is not waiting for: the caller finds it done where it is, so that run costs no hand-off
 * and no wake-up.
 *
 * <p><b>Memory visibility: the awaited handshake</b> is a Dekker pair of volatiles. The caller
 * writes {@code awaited}, then reads the run's future ({@link #announceAwaited}); the completing
 * thread completes the future, then reads {@code awaited} ({@link #onComplete}). At least one of
 * them sees the other's write, so the awaited run is either seen done by the caller or handed
 * over to it: never neither, which would leave the caller parked for good. The values of a
 * delivered run are published by {@link ChunkRun#delivered}, a volatile written after them.
 *
 * <p>Thread safety: {@link #onComplete} from any number of completing threads at once; the other
 * methods from the caller's thread. Only {@code inInputOrder} (once) and {@code awaited} are
 * written after construction.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@SuppressWarnings("unused") // the padding fields
final class CompletionSink<T, R> extends CompletionSinkFields<T, R> {
  private byte z00, z01, z02, z03, z04, z05, z06, z07, z08, z09, z10, z11, z12, z13, z14, z15;
  private byte z16, z17, z18, z19, z20, z21, z22, z23, z24, z25, z26, z27, z28, z29, z30, z31;
  private byte z32, z33, z34, z35, z36, z37, z38, z39, z40, z41, z42, z43, z44, z45, z46, z47;
  private byte z48, z49, z50, z51, z52, z53, z54, z55, z56, z57, z58, z59, z60, z61, z62, z63;

  /**
   * Creates the sink of one call.
   *
   * @param mode what the caller wants back
   * @param sizer told each run's size and time
   * @param meter the pool's counters, told of each run's end
   * @param progress the call's progress reporter, or null
   * @param direct the slots a {@code map} of known size is answered in, or null
   */
  CompletionSink(MapCall.Mode mode, ChunkSizer sizer, PoolMeter meter, ProgressReporter progress, ResultSlots direct) {
    super(mode, sizer, meter, progress, direct);
  }

  /**
   * In the completing thread, once per run: records the run's time and progress, writes a
   * {@code map}'s values in place, and hands the run to the caller unless the caller will find
   * it done by itself.
   *
   * @param run the run
   * @param result its result, or null if the whole run failed or was cancelled
   */
  void onComplete(ChunkRun<T, R> run, ChunkResult<R> result) {
    try {
      if (result != null) {
        sizer.record(result.size(), result.executionNanos());
        if (progress != null) {
          progress.completed(result.size());
        }
        if (direct != null) {
          deliver(run, result);
        }
      }
    } finally {
      handOver(run); // even if a progress listener threw an Error: the caller must not wait forever
    }
  }

  /**
   * The caller's half of waiting in input order: names {@code run} as the one it waits for, then
   * reads its future.
   *
   * @param run the oldest run not yet consumed
   * @return true if the run is done: the caller takes it now; false if it was not, in which case
   *     its completing thread hands it over through {@link CompletionSinkFields#completed}
   */
  boolean announceAwaited(ChunkRun<T, R> run) {
    awaited = run;
    return run.future.isDone();
  }

  /** The caller waits in input order from now on ({@code map}, every input dispatched). */
  void enterInputOrder() {
    if (!inInputOrder) {
      inInputOrder = true;
    }
  }

  private void handOver(ChunkRun<T, R> run) {
    if (mode == MapCall.Mode.ORDERED) {
      return; // the caller waits on each future in turn
    }
    if (inInputOrder && run.delivered && awaited != run) {
      return; // the caller will find it done when it gets there: no hand-off, no wake-up
    }
    completed.add(run);
  }

  /** Writes a run's values into {@code direct}, unless one failed or they do not fit. */
  private void deliver(ChunkRun<T, R> run, ChunkResult<R> result) {
    if (result.firstFailure() >= 0) {
      return; // the caller reads the result and throws
    }
    Chunk<T> chunk = run.chunk;
    if (chunk.firstIndex() + chunk.size() > direct.size()) {
      return; // the input grew while it was read: the caller copies this one into a larger array
    }
    direct.deliver((int) chunk.firstIndex(), result);
    run.delivered = true; // volatile: whoever sees it true sees the slots
  }
}

/**
 * The fields of {@link CompletionSink}, after {@link CacheLinePadding}'s 64 bytes and before the
 * sink's own 64 bytes of padding:
 *
 * <pre>
 *   | header | 64 B padding | mode, sizer, meter, progress, direct, completed, inInputOrder, awaited | 64 B padding |
 * </pre>
 */
abstract class CompletionSinkFields<T, R> extends CacheLinePadding {
  final MapCall.Mode mode;
  final ChunkSizer sizer;
  final PoolMeter meter;
  final ProgressReporter progress; // or null
  final ResultSlots direct; // MAP with a known size: results written by completing threads, or null
  final CompletionQueue<ChunkRun<T, R>> completed = new CompletionQueue<>();
  volatile boolean inInputOrder; // MAP, every input dispatched: see RunWindow.nextInInputOrder
  volatile ChunkRun<T, R> awaited; // in input order: the run the caller waits for

  CompletionSinkFields(MapCall.Mode mode, ChunkSizer sizer, PoolMeter meter, ProgressReporter progress,
      ResultSlots direct) {
    this.mode = mode;
    this.sizer = sizer;
    this.meter = meter;
    this.progress = progress;
    this.direct = direct;
  }
}
