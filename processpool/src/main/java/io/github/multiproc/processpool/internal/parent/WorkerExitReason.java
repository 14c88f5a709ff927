package io.github.multiproc.processpool.internal.parent;

/**
 * Why a pool's worker left, for the pool's stats ({@code PoolStats.replacements()}) and JFR's
 * {@code multiproc.WorkerExit}. Immutable.
 */
enum WorkerExitReason {
  /** Crashed, killed from outside, or killed by the pool (watchdog, protocol error). */
  DIED("died"),
  /** A task ran past its timeout, or ignored a cancellation, beyond the grace period. */
  TIMED_OUT("timed out"),
  /** Retired after its task limit, as planned. */
  RECYCLED("recycled"),
  /** Retired because its memory grew too large (maxWorkerMemory, or a task's OutOfMemoryError). */
  OVER_MEMORY("over memory"),
  /** The pool closed. */
  CLOSED("closed");

  /** The reason as JFR records it. */
  final String label;

  WorkerExitReason(String label) {
    this.label = label;
  }
}
