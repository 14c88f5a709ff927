package io.github.multiproc.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Answering a {@code map} in place: the completing thread writes a run's values into the call's
 * result slots and then sets the run's {@code delivered} flag (a volatile store); a caller that
 * reads the flag true must see the values.
 *
 * <p>Fails (outcome {@code 0}) if {@code delivered} is written with a plain store, on hardware or
 * compilers that reorder stores; x86 keeps stores in order, so there a broken flag shows only
 * when the JIT reorders them.
 */
@JCStressTest
@Description("CompletionSink: a run seen delivered has its values in the result slots")
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "not delivered yet: the caller would wait for it")
@Outcome(id = "10", expect = ACCEPTABLE, desc = "delivered, with its value in place")
@Outcome(id = "0", expect = FORBIDDEN, desc = "delivered, but its value not visible")
@State
public class CompletionSinkDeliveryTest {

  private final ResultSlots direct = new ResultSlots(1);
  private final CompletionSink<Integer, Integer> sink =
      new CompletionSink<>(MapCall.Mode.MAP, ChunkSizer.fixed(1), new PoolMeter("jcstress"), null, direct);
  private final ChunkRun<Integer, Integer> run = new ChunkRun<>(sink, new Chunk<>(0, List.of(1)));
  private final ChunkFuture<Integer> future = new ChunkFuture<>(run);
  private final ChunkResult<Integer> result = new ChunkResult<Integer>(1).succeedInt(0, 10);

  public CompletionSinkDeliveryTest() {
    run.future = future;
  }

  /** The backend's thread: completes the run; its callback writes the value in place. */
  @Actor
  public void completer() {
    future.complete(result);
  }

  /** The caller: reads the flag, then the slot. */
  @Actor
  public void caller(I_Result r) {
    if (run.delivered) {
      Object value = direct.list(1).get(0);
      r.r1 = value == null ? 0 : (Integer) value;
    } else {
      r.r1 = -1;
    }
  }
}
