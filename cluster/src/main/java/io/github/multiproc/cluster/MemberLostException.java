package io.github.multiproc.cluster;

import io.github.multiproc.Idempotent;
import io.github.multiproc.TaskFailedException;
import java.io.Serial;
import java.util.Objects;

/**
 * The cluster member running this input left the cluster or died before it answered, and the
 * input was not re-run: its task is not marked {@link Idempotent}, or every attempt was used up.
 * It is the infrastructure's fault, not the task's; the pool goes on with the remaining members.
 *
 * <p>The message names the member (address, pid when it publishes one, UUID) so its logs can be
 * found.
 *
 * {@snippet :
 * try {
 *   pool.map(task, inputs);
 * } catch (MemberLostException e) {
 *   log.warn("member {} died under input #{}", e.member(), e.index());
 * }
 * }
 *
 * @since 0.1
 */
public class MemberLostException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** The lost member, described with its address and pid. */
  private final String member;
  /** How many members the chunk was tried on. */
  private final int attempts;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param member the lost member, described
   * @param attempts how many members the input was tried on
   * @param idempotent whether the task was marked idempotent
   * @param cause what Hazelcast reported, if anything
   */
  public MemberLostException(long index, String member, int attempts, boolean idempotent, Throwable cause) {
    super(index, describe(index, member, attempts, idempotent), cause);
    this.member = Objects.requireNonNull(member, "member");
    this.attempts = attempts;
  }

  /** {@return the lost member: address, pid if known, UUID} */
  public String member() {
    return member;
  }

  /** {@return how many members the input was tried on} */
  public int attempts() {
    return attempts;
  }

  private static String describe(long index, String member, int attempts, boolean idempotent) {
    String what = index == NO_INDEX ? "the job" : "input #" + index;
    return "cluster member " + member + " left or died while it ran " + what
        + (idempotent ? "; the task is idempotent but all " + attempts + " attempts were used up"
            : "; not re-run because the task is not marked idempotent (see io.github.multiproc.Idempotent)");
  }
}
