package io.github.multiproc.processpool;

import io.github.multiproc.TaskFailedException;
import java.io.Serial;
import java.util.HexFormat;

/**
 * The bytes between the parent and a worker broke the protocol: a frame that does not parse, a
 * payload that does not decode, garbage written into the protocol pipe. The fault lies with the
 * infrastructure (a corrupted or foreign process, a mixed class path, a bug), never with the task.
 * When the worker sent the bad bytes it is killed and replaced; the items it held fail with this
 * exception, whose message carries a hex dump of the offending bytes.
 *
 * {@snippet :
 * try {
 *   pool.map(task, inputs);
 * } catch (ProtocolException e) {
 *   log.error("worker {} broke the protocol; bytes: {}", e.pid(), e.offendingBytes());
 * }
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public class ProtocolException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** How many bytes {@link #dump} shows at most. */
  public static final int DUMP_BYTES = 64;

  /** The pid of the worker that broke the protocol. */
  private final long pid;
  /** A hex dump of the bytes that did not decode. */
  private final String offendingBytes;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param pid the worker's process id
   * @param problem what broke, such as {@code "frame length must be <= ...: length=-559038737"}
   * @param offendingBytes the dump of the bytes at fault (see {@link #dump})
   * @param cause the decoder's exception, or null
   */
  public ProtocolException(long index, long pid, String problem, String offendingBytes, Throwable cause) {
    super(index, (index == NO_INDEX ? "" : "input #" + index + ": ") + "the protocol with worker pid " + pid
        + " broke: " + problem + "; offending bytes: " + offendingBytes, cause);
    this.pid = pid;
    this.offendingBytes = offendingBytes;
  }

  /** {@return the process id of the worker on the other end} */
  public long pid() {
    return pid;
  }

  /** {@return the hex dump of the offending bytes, with their printable ASCII} */
  public String offendingBytes() {
    return offendingBytes;
  }

  /**
   * Formats up to {@value #DUMP_BYTES} bytes as hex with their printable characters, for example
   * {@code "de ad be ef |....|"}.
   *
   * @param bytes the array
   * @param offset the first byte
   * @param length how many (more than {@value #DUMP_BYTES} are cut, and the cut is said)
   * @return the dump
   */
  public static String dump(byte[] bytes, int offset, int length) {
    int n = Math.min(length, DUMP_BYTES);
    StringBuilder text = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int b = bytes[offset + i] & 0xff;
      text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return HexFormat.ofDelimiter(" ").formatHex(bytes, offset, offset + n) + " |" + text + "|"
        + (length > n ? " (first " + n + " of " + length + " bytes)" : "");
  }
}
