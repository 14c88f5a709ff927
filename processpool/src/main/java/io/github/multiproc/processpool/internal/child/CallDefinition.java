package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;

/**
 * A call's task as sent in DEFINE; decoded once, on first use.
 *
 * <p>Thread safety: the task is decoded and read by the worker's executor thread only.
 */
final class CallDefinition {
  private final ParentMessage.Define define;
  final long taskTimeoutNanos;
  final long taskTimeoutGraceNanos;
  private Task<Object, Object> task; // executor thread only
  private RuntimeException failure;

  CallDefinition(ParentMessage.Define define) {
    this.define = define;
    this.taskTimeoutNanos = define.taskTimeoutNanos();
    this.taskTimeoutGraceNanos = define.taskTimeoutGraceNanos();
  }

  @SuppressWarnings("unchecked")
  Task<Object, Object> task(Codec codec) {
    if (task == null && failure == null) {
      try {
        task = (Task<Object, Object>) codec.decode(define.task());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return task;
  }
}
