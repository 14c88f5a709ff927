package io.github.multiproc.processpool.internal.parent;

import java.util.OptionalInt;

/**
 * Why a worker is gone.
 *
 * @param pid its pid
 * @param exitCode its exit code if it had exited when reported
 * @param stderrTail its last stderr lines
 * @param reason what the parent saw (EOF, a broken frame, ...)
 * @param killedBecause why the pool killed it, or null if it did not
 * @param protocolBreak how its bytes broke the protocol, or null
 */
public record WorkerDeath(long pid, OptionalInt exitCode, String stderrTail, String reason, String killedBecause,
    ProtocolBreak protocolBreak) {

  /** @return the stderr tail, followed by why the pool killed the worker if it did */
  public String diagnostics() {
    return killedBecause == null ? stderrTail
        : stderrTail + (stderrTail.isEmpty() ? "" : "\n") + "[multiproc] the pool killed it: " + killedBecause;
  }

  /**
   * The worker's bytes broke the protocol.
   *
   * @param problem what the decoder said
   * @param dump the offending bytes, as {@link io.github.multiproc.processpool.ProtocolException#dump}
   * @param cause the decoder's exception
   */
  public record ProtocolBreak(String problem, String dump, Exception cause) {}
}
