package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.File;

/**
 * Ends the worker when its parent is gone, from the worker's first line on: a daemon thread
 * checks every {@link #EVERY_MILLIS} ms whether the worker still has the parent it was started by
 * (a dead parent's children are re-parented). Before it halts, it deletes the worker's pipe
 * directory, which a parent killed while its workers started cannot delete itself.
 *
 * <p>This is the one watch that holds before the pipes are open, when the worker may be blocked
 * in {@code open(2)} on a FIFO whose other end died with the parent. It costs one thread and a
 * read of {@code /proc/self/stat} per period; it uses only classes every JVM loads before
 * {@code main}, so it does not slow the way to HELLO.
 *
 * <p>Thread safety: {@link #start} once.
 */
final class ParentPoll {

  /** How often the parent is checked: a worker outlives its parent by at most this much (plus a halt). */
  static final long EVERY_MILLIS = 100;

  private ParentPoll() {}

  /**
   * Starts the poll.
   *
   * @param parentPid the pid of the parent that started this worker
   * @param pipes the worker's pipe directory
   */
  static void start(long parentPid, File pipes) {
    Thread t = new Thread(() -> poll(parentPid, pipes), "multiproc-parent-poll");
    t.setDaemon(true);
    t.start();
  }

  private static void poll(long parentPid, File pipes) {
    try {
      while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parentPid) {
        Thread.sleep(EVERY_MILLIS);
      }
    } catch (InterruptedException e) {
      // nobody interrupts this thread; treat it as the end of the watch and check once more
      Thread.currentThread().interrupt();
      if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parentPid) {
        return;
      }
    }
    new File(pipes, Protocol.TO_WORKER).delete();
    new File(pipes, Protocol.TO_PARENT).delete();
    pipes.delete();
    Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED);
  }
}
