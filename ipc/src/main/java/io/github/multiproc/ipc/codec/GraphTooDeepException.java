package io.github.multiproc.ipc.codec;

import java.io.Serial;
import java.util.Objects;

/**
 * A value nests objects deeper than the codec's {@link DecodeLimits#maxDepth()}: the receiving
 * side would refuse it, so it is refused on encode, before anything is sent. The caller's fault;
 * typically a linked structure ({@code Node.next.next...}) that should travel as a list.
 *
 * {@snippet :
 * try {
 *   codec.encode(longLinkedList);
 * } catch (GraphTooDeepException e) {
 *   // e.offendingClassName() = "com.acme.Node", e.maxDepth() = 1000
 * }
 * }
 *
 * <p>Thread safety: the fields this class adds are final and set by the constructor; the state
 * inherited from {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.2
 */
public class GraphTooDeepException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /** The class of the object found past the depth limit. */
  private final String offendingClassName;
  /** The limit the graph broke. */
  private final int maxDepth;

  /**
   * Creates the exception.
   *
   * @param valueClassName the class of the value being encoded
   * @param offendingClassName the class of the object found past the depth limit
   * @param maxDepth the depth limit
   * @param cause the {@link StackOverflowError} that revealed it, or {@code null}
   */
  public GraphTooDeepException(String valueClassName, String offendingClassName, int maxDepth, Throwable cause) {
    super("value is too deep to encode: a " + valueClassName + " nests objects more than maxDepth="
        + maxDepth + " levels deep (a " + offendingClassName + " at level " + (maxDepth + 1)
        + "); send a flat structure (a list rather than linked nodes), or raise"
        + " DecodeLimits.maxDepth on both sides", cause);
    this.offendingClassName = Objects.requireNonNull(offendingClassName, "offendingClassName");
    this.maxDepth = maxDepth;
  }

  /** {@return the class of the object found past the depth limit} */
  public String offendingClassName() {
    return offendingClassName;
  }

  /** {@return the depth limit the value broke} */
  public int maxDepth() {
    return maxDepth;
  }
}
