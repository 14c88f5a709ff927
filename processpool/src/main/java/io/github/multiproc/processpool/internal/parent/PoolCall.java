package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.Idempotent;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.spi.AbstractPool;

/**
 * One call ({@code map}, {@code imap}, {@code submit}...) as the workers see it: its id and its
 * task, encoded once and sent to each worker once ({@code DEFINE}) before that worker's first
 * batch of the call.
 *
 * <p>Thread safety: immutable.
 */
public final class PoolCall {
  private final long id;
  private final Object task;
  private final boolean idempotent;
  private final ParentMessage.Define define;

  /**
   * @param id the call id
   * @param taskTimeoutNanos the per-item timeout, or 0
   * @param taskTimeoutGraceNanos how long a timed-out item may take to stop before its worker is stopped
   * @param encodedTask the encoded task
   * @param task the task (a submitted job's is an {@link AbstractPool.JobTask})
   * @throws IllegalArgumentException if the task is too large for one frame
   */
  public PoolCall(long id, long taskTimeoutNanos, long taskTimeoutGraceNanos, byte[] encodedTask, Object task) {
    this.id = id;
    this.task = task;
    this.idempotent = Idempotent.isIdempotent(task);
    this.define = new ParentMessage.Define(id, taskTimeoutNanos, taskTimeoutGraceNanos, encodedTask);
    if (define.payloadBytes() > Protocol.MAX_PAYLOAD) {
      throw new IllegalArgumentException("the task encodes to " + encodedTask.length + " bytes, over the "
          + "protocol's frame limit of " + Protocol.MAX_PAYLOAD + " bytes: it captures too much data; pass large data "
          + "through a file or SharedMemory instead");
    }
  }

  /** @return the call id */
  public long id() {
    return id;
  }

  /** @return whether a batch may run again after its worker died */
  boolean idempotent() {
    return idempotent;
  }

  /**
   * @return the class of the user's code (a submitted job's own class, or the Runnable or Callable
   *     given to the ExecutorService view), whose package results may come from
   */
  Class<?> taskClass() {
    return AbstractPool.userCode(task).getClass();
  }

  /** @return whether the call is a submitted job */
  boolean isJob() {
    return task instanceof AbstractPool.JobTask<?>;
  }

  /** @return the submitted job, or null for a map */
  Object job() {
    return task instanceof AbstractPool.JobTask<?> jt ? jt.job() : null;
  }

  /** @return the DEFINE message */
  ParentMessage.Define define() {
    return define;
  }
}
