package io.github.multiproc.ipc.codec;

import java.io.Serial;

/**
 * A payload was refused while decoding because it broke a {@link DecodeLimits limit} or named a
 * class that the allow/deny lists refuse. The sender's fault (or an attacker's), not the
 * receiver's: the payload was never turned into objects beyond the point of refusal.
 *
 * {@snippet :
 * catch (RejectedPayloadException e) {
 *   log.warn("hostile or oversize payload refused: {}", e.getMessage());
 * }
 * }
 *
 * <p>Thread safety: the field this class adds is final and set by the constructor; the state
 * inherited from {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class RejectedPayloadException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /** The class the allow rule refused, or null when a limit was broken. */
  private final String refusedClassName;

  /**
   * Creates the exception.
   *
   * @param message the rule that was broken and the value that broke it
   * @param cause the underlying failure, or {@code null}
   */
  public RejectedPayloadException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * Creates the exception for a refused class.
   *
   * @param message the rule that was broken and the value that broke it
   * @param refusedClassName the class the allow rule refused, or {@code null} if a limit was broken
   * @param cause the underlying failure, or {@code null}
   * @since 0.2
   */
  public RejectedPayloadException(String message, String refusedClassName, Throwable cause) {
    super(message, cause);
    this.refusedClassName = refusedClassName;
  }

  /**
   * {@return the binary name of the class the {@link AllowRule} refused, or {@code null} if the
   * payload broke a {@link DecodeLimits limit} instead}
   *
   * @since 0.2
   */
  public String refusedClassName() {
    return refusedClassName;
  }
}
