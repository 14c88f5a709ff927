package io.github.multiproc;

import java.io.Serial;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The worker process running this input died before it answered: killed by a signal, exited,
 * halted, crashed in native code or ran out of memory. Only the inputs that worker held fail;
 * the pool replaces the worker and goes on.
 *
 * <p>The message names the worker's pid, how it ended (exit code, or the signal for exit codes
 * above 128) and the last lines it wrote to stderr, which usually say why.
 *
 * @since 0.1
 */
public class WorkerDiedException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** The dead worker's process id. */
  private final long pid;
  /** Its exit code, or null when unknown. */
  private final Integer exitCode;
  /** The last lines it wrote to stderr. */
  private final String stderrTail;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param pid the dead worker's process id
   * @param exitCode its exit code, if known ({@code 128 + n} for signal {@code n})
   * @param stderrTail the last lines it wrote to stderr, possibly empty
   */
  public WorkerDiedException(long index, long pid, OptionalInt exitCode, String stderrTail) {
    super(index, describe(index, pid, exitCode, stderrTail), null);
    this.pid = pid;
    this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
    this.stderrTail = Objects.requireNonNull(stderrTail, "stderrTail");
  }

  /** {@return the dead worker's process id} */
  public long pid() {
    return pid;
  }

  /** {@return its exit code, if it was known when the death was reported} */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** {@return the last lines the worker wrote to stderr, possibly empty} */
  public String stderrTail() {
    return stderrTail;
  }

  private static String describe(long index, long pid, OptionalInt exitCode, String stderrTail) {
    StringBuilder s = new StringBuilder("worker pid ").append(pid).append(" died");
    if (index != NO_INDEX) {
      s.append(" while it held input #").append(index);
    }
    if (exitCode.isPresent()) {
      int code = exitCode.getAsInt();
      s.append(" (exit code ").append(code);
      if (code > 128 && code < 128 + 65) {
        s.append(", signal ").append(code - 128).append(signalName(code - 128));
      }
      s.append(')');
    }
    if (!stderrTail.isBlank()) {
      s.append("; last stderr lines:\n").append(stderrTail.strip());
    }
    return s.toString();
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 6 -> " SIGABRT";
      case 9 -> " SIGKILL";
      case 11 -> " SIGSEGV";
      case 15 -> " SIGTERM";
      default -> "";
    };
  }
}
