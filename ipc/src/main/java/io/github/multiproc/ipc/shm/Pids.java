package io.github.multiproc.ipc.shm;

import java.time.Instant;
import java.util.Optional;

/** Process identity and liveness checks used to recover from processes that died. */
final class Pids {

  /** The largest pid that fits the 30-bit pid field of a queue slot state word. */
  static final long MAX_SLOT_PID = (1L << 30) - 1;

  private Pids() {}

  static long current() {
    return ProcessHandle.current().pid();
  }

  /** Start time of this process in epoch milliseconds, or 0 if the OS does not tell. */
  static long currentStartMillis() {
    return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** Whether a process with this pid exists and has not terminated. */
  static boolean isAlive(long pid) {
    if (pid == current()) {
      return true;
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Whether the process identified by pid and start time is alive. A start time of 0 means
   * unknown; a live process with the same pid but a different start time (more than a second
   * apart) is a reuse of the pid, so the original owner is dead.
   */
  static boolean isAlive(long pid, long startMillis) {
    if (pid == current()) {
      return true;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return false;
    }
    if (startMillis == 0) {
      return true;
    }
    return handle.get().info().startInstant()
        .map(start -> Math.abs(start.toEpochMilli() - startMillis) <= 1000)
        .orElse(true);
  }
}
