package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.processpool.ProtocolException;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the values of answered batches, off the workers' reader threads and off the pool's
 * event loop, each under a deadline. Decoding runs the deserialization of objects the worker
 * chose, so it is where a hostile or merely unlucky result can block, loop or throw; none of
 * that may hang a caller, stop the pool from hearing a worker, or cost a healthy worker:
 *
 * <ul>
 *   <li>a value that does not decode (a refused class, its {@code readObject} throws anything,
 *       even an {@code Error}) fails its items, and the worker goes on;
 *   <li>a decode that takes longer than the deadline fails its items with a
 *       {@link CodecException} that says so; its thread is interrupted and left to finish on its
 *       own, writing into a result nobody reads;
 *   <li>a payload whose structure is broken (counts, lengths) is a protocol error: its items fail
 *       with {@link ProtocolException} and the worker, whose bytes cannot be trusted, is killed.
 * </ul>
 *
 * <p>Thread safety: thread-safe. Each batch is resolved once ({@link Batch#settle()}).
 */
final class ResultDecoder implements AutoCloseable {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ResultDecoder.class);
  }
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Codec codec;
  private final Duration deadline;
  private final ScheduledExecutorService timer;
  private final TasksRecycler recycler;
  private final ExecutorService decoders = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("multiproc-decode-", THREADS.incrementAndGet() * 1000L).factory());

  /**
   * @param codec the codec
   * @param deadline how long one batch's values may take to decode
   * @param timer runs the deadlines
   * @param recycler given the TASKS payload of each batch whose answer decoded and resolved it, or
   *     null
   */
  ResultDecoder(Codec codec, Duration deadline, ScheduledExecutorService timer, TasksRecycler recycler) {
    this.codec = codec;
    this.deadline = deadline;
    this.timer = timer;
    this.recycler = recycler;
  }

  /** Told of a batch's decoded answers before they resolve its items (for failure events). */
  interface Decoded {
    /** @param batch the batch @param answers its answers, positions from 0 @param pid the worker */
    void decoded(Batch batch, ChunkResult<?> answers, long pid);
  }

  /**
   * Decodes a batch's answers and resolves its items, on a decoder thread.
   *
   * @param batch the batch
   * @param results its RESULTS (already checked: 1..batch.count items)
   * @param worker the worker that sent it, killed if the payload is broken
   * @param decoded told of the answers
   */
  void decode(Batch batch, WorkerMessage.Results results, WorkerProcess worker, Decoded decoded) {
    decode(batch, results, worker, decoded, List.of());
  }

  /**
   * As {@link #decode(Batch, WorkerMessage.Results, WorkerProcess, Decoded)}, for answers some of
   * whose values travel out of band.
   *
   * @param batch the batch
   * @param results its RESULTS
   * @param worker the worker that sent it
   * @param decoded told of the answers
   * @param outOfBand the segments already claimed from the worker; each is deleted once read, and
   *     all of them when the decode ends, however it ends
   */
  void decode(Batch batch, WorkerMessage.Results results, WorkerProcess worker, Decoded decoded,
      List<SharedValues.Entry> outOfBand) {
    decoders.execute(() -> {
      try {
        run(batch, results, worker, decoded, outOfBand.isEmpty() ? null : SharedValueReader.claimedFrom(worker.pid()));
      } finally {
        SharedValueReader.deleteClaimed(outOfBand);
      }
    });
  }

  private void run(Batch batch, WorkerMessage.Results results, WorkerProcess worker, Decoded decoded,
      SharedValueReader shared) {
    Thread self = Thread.currentThread();
    ScheduledFuture<?> alarm = timer.schedule(() -> abandon(batch, results.count(), self), deadline.toNanos(),
        TimeUnit.NANOSECONDS);
    try {
      ChunkResult<Object> part = new ChunkResult<>(results.count());
      ResultsCodec.Decoded d = ResultsCodec.decodeInto(results.payload(),
          codec.allowingPackageOf(batch.call.taskClass()), part, 0, batch.count,
          shared); // the task's own package may be decoded, as the default allow rule says
      if (batch.settle()) {
        decoded.decoded(batch, part, worker.pid());
        batch.chunk.resolve(batch.from, part, d.executionNanos());
        if (recycler != null) { // answered by the worker that held it, settled: never sent or read again
          recycler.give(batch.tasks.payload());
        }
      }
    } catch (IOException e) {
      String problem = "its RESULTS for " + batch + " did not decode: " + e.getMessage();
      String dump = ProtocolException.dump(results.payload(), 0, results.payload().length);
      if (batch.settle()) {
        batch.chunk.fail(batch.from, results.count(), i -> new ProtocolException(batch.indexOf(i), worker.pid(),
            problem, dump, e));
      }
      worker.kill(problem);
    } catch (Throwable t) { // a value's readObject threw, looped into an Error, or was refused
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (batch.settle()) {
        batch.chunk.fail(batch.from, results.count(), i -> new CodecException("the result of input #"
            + batch.indexOf(i) + " could not be decoded in the parent (the batch's answers were refused as a whole): "
            + t, t));
      }
      Log.LOG.debug("the answers of {} from worker {} did not decode: {}", batch, worker.pid(), t.toString());
    } finally {
      alarm.cancel(false);
      Thread.interrupted(); // the deadline's interrupt, if it came late, must not reach the next batch
    }
  }

  private void abandon(Batch batch, int count, Thread decoder) {
    if (!batch.settle()) {
      return;
    }
    batch.chunk.fail(batch.from, count, i -> new CodecException("the result of input #" + batch.indexOf(i)
        + " did not finish decoding within " + deadline + " (a readObject that blocks or loops, or a value too "
        + "large to rebuild in time); ProcessPool.Builder.resultDecodeTimeout sets the limit"));
    Log.LOG.warn("decoding the answers of {} took longer than {}; its items failed, thread {} is interrupted and "
        + "left to finish on its own", batch, deadline, decoder.getName());
    decoder.interrupt();
  }

  @Override
  public void close() {
    decoders.shutdown();
  }
}
