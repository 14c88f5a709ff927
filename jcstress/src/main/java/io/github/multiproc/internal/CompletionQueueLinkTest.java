package io.github.multiproc.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two producers append to {@link CompletionQueue} at once: each takes the old tail with one
 * atomic swap, so both elements are linked, each once, whatever the interleaving.
 *
 * <p>Fails (outcome {@code 1, 1} or {@code 1, 2}) if the swap is split into a read and a write of
 * {@code tail}: both producers then link after the same element and one element is lost.
 */
@JCStressTest
@Description("CompletionQueue: concurrent add() calls link every element exactly once")
@Outcome(id = "2, 3", expect = ACCEPTABLE, desc = "both elements arrive, each once")
@Outcome(expect = FORBIDDEN, desc = "an element was lost or delivered twice")
@State
public class CompletionQueueLinkTest {

  private static final class Element extends CompletionQueue.Node {
    final int bit;

    Element(int bit) {
      this.bit = bit;
    }
  }

  private final CompletionQueue<Element> queue = new CompletionQueue<>();
  private final Element first = new Element(1);
  private final Element second = new Element(2);

  @Actor
  public void producer1() {
    queue.add(first);
  }

  @Actor
  public void producer2() {
    queue.add(second);
  }

  /** After both: drains the queue. r1 = elements taken, r2 = which (bit set). */
  @Arbiter
  public void drain(II_Result r) {
    int count = 0;
    int seen = 0;
    for (Element e; (e = queue.poll()) != null && count < 3; ) {
      count++;
      seen |= e.bit;
    }
    r.r1 = count;
    r.r2 = seen;
  }
}
