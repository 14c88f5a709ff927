package io.github.multiproc.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The parking handshake of {@link CompletionQueue}, a Dekker pair: the consumer writes
 * {@code parked} and then reads {@code next} ({@link CompletionQueue#pollAfterAnnouncing}); a
 * producer writes {@code next} and then reads {@code parked} ({@link CompletionQueue#link}). At
 * least one must see the other's write, or the consumer parks with an element in the queue and
 * nobody unparks it.
 *
 * <p>Fails (outcome {@code false, false}) if either write is weakened to a release store, a plain
 * store, or moved after the read.
 */
@JCStressTest
@Description("CompletionQueue: a consumer about to park and a producer linking never both miss each other")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "each saw the other: the consumer takes the element; the producer's unpark is spare")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the producer saw the announcement: it unparks the consumer, which then finds the element")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the consumer found the element: it does not park")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "lost wake-up: the consumer parks, the producer does not unpark it")
@State
public class CompletionQueueWakeUpTest {

  private static final class Element extends CompletionQueue.Node {}

  private final CompletionQueue<Element> queue = new CompletionQueue<>();
  private final Element element = new Element();

  /** A completing thread: links the element, then looks for a parked consumer. */
  @Actor
  public void producer(ZZ_Result r) {
    r.r1 = queue.link(element) != null;
  }

  /** The caller: announces that it parks, then looks for an element. */
  @Actor
  public void consumer(ZZ_Result r) {
    r.r2 = queue.pollAfterAnnouncing(Thread.currentThread()) != null;
  }
}
