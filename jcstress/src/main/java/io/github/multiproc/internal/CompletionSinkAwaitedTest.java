package io.github.multiproc.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The awaited handshake of {@link CompletionSink}, a Dekker pair: a {@code map} caller waiting in
 * input order writes {@code awaited} and then reads the run's future
 * ({@link CompletionSink#announceAwaited}); the completing thread completes the future and then,
 * in the run's callback, reads {@code awaited} before it decides whether to hand the run over.
 * The run here is answered in place (its values delivered), so the completing thread hands it
 * over only if it sees it awaited. At least one side must see the other, or the caller parks for
 * a run that is done and never handed to it.
 *
 * <p>The completing side is the real one: a {@link ChunkFuture} whose callback is the
 * {@link ChunkRun}. Fails (outcome {@code false, false}) if {@code awaited} is written with a
 * release or plain store.
 */
@JCStressTest
@Description("CompletionSink: the caller awaiting a run and the thread completing it never both miss each other")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "the caller saw the run done; the spare hand-off is skipped as consumed")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the caller saw the run done: nothing to hand over")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the completing thread saw the run awaited and handed it over")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost hand-off: the caller waits for a run that is done")
@State
public class CompletionSinkAwaitedTest {

  private final CompletionSink<Integer, Integer> sink =
      new CompletionSink<>(MapCall.Mode.MAP, ChunkSizer.fixed(1), new PoolMeter("jcstress"), null, new ResultSlots(1));
  private final ChunkRun<Integer, Integer> run = new ChunkRun<>(sink, new Chunk<>(0, List.of(1)));
  private final ChunkFuture<Integer> future = new ChunkFuture<>(run);
  private final ChunkResult<Integer> result = new ChunkResult<Integer>(1).succeed(0, 10);

  public CompletionSinkAwaitedTest() {
    run.future = future;
    sink.enterInputOrder(); // every input dispatched: map waits in input order
  }

  /** The backend's thread: completes the run, which calls back into the sink. */
  @Actor
  public void completer() {
    future.complete(result);
  }

  /** The caller: names the run it waits for, then looks at its future. */
  @Actor
  public void caller(ZZ_Result r) {
    r.r1 = sink.announceAwaited(run);
  }

  /** After both: whether the run was handed over. */
  @Arbiter
  public void handedOver(ZZ_Result r) {
    r.r2 = sink.completed.poll() != null;
  }
}
