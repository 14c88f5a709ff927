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
 * <p>Thread safety: adds no state to {@link CodecException}; the state inherited from
 * {@link Throwable} follows {@code Throwable}'s rules.
 *
 * @since 0.1
 */
public class RejectedPayloadException extends CodecException {

  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the rule that was broken and the value that broke it
   * @param cause the underlying failure, or {@code null}
   */
  public RejectedPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
