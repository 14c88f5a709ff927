package io.github.multiproc.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Publication through {@link CompletionQueue}: what a producer wrote into an element before
 * {@link CompletionQueue#add} is visible to the consumer that polls it, because the link
 * ({@code next}) is written with release semantics (volatile) after it and read with acquire
 * semantics.
 *
 * <p>Fails (outcome {@code 0}) if the link is written with a plain store, on hardware or
 * compilers that reorder stores; x86 keeps stores in order, so there a broken link shows only
 * when the JIT reorders them.
 */
@JCStressTest
@Description("CompletionQueue: an element's fields, written before add(), are seen by the consumer that polls it")
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "nothing linked yet")
@Outcome(id = "42", expect = ACCEPTABLE, desc = "the element with what its producer wrote")
@Outcome(id = "0", expect = FORBIDDEN, desc = "the element without what its producer wrote before adding it")
@State
public class CompletionQueuePublicationTest {

  private static final class Element extends CompletionQueue.Node {
    int value; // plain, as a run's fields are
  }

  private final CompletionQueue<Element> queue = new CompletionQueue<>();
  private final Element element = new Element();

  /** A completing thread: fills the element, then adds it. */
  @Actor
  public void producer() {
    element.value = 42;
    queue.add(element);
  }

  /** The caller: takes the element if it is there and reads it. */
  @Actor
  public void consumer(I_Result r) {
    Element e = queue.poll();
    r.r1 = e == null ? -1 : e.value;
  }
}
