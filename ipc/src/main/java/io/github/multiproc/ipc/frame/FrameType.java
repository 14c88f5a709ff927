package io.github.multiproc.ipc.frame;

/**
 * The kind of a {@link Frame}: one byte on the wire, at offset 4 of the frame (see {@link Frames}).
 *
 * <p>The codes are part of the protocol (see {@code docs/protocol.md}) and never change meaning;
 * new types get new codes. A code that is not listed here is a {@link CorruptedFrameException}
 * when read.
 *
 * {@snippet :
 * FrameType type = FrameType.fromCode((byte) 0x03); // TASKS
 * assert type.code() == 0x03;
 * }
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public enum FrameType {
  /** Handshake: protocol version and the sender's identity; the first frame each way. */
  HELLO(0x01),
  /** A task definition, sent once per worker per call; later frames refer to it by id. */
  DEFINE(0x02),
  /** A chunk of inputs for a defined task. */
  TASKS(0x03),
  /** The answers to a chunk. */
  RESULTS(0x04),
  /** A failure of the infrastructure (not of a task) that the receiver should report. */
  ERROR(0x05),
  /** Stop running the chunk or task named by the correlation id. */
  CANCEL(0x06),
  /** Captured standard output or standard error of a worker. */
  OUTPUT(0x07),
  /** Finish the work in hand, then exit. */
  SHUTDOWN(0x08),
  /** Drop the task definition named by the correlation id. */
  RELEASE(0x09),
  /** Liveness probe; answered with a PING carrying the same correlation id. */
  PING(0x0A),
  /** A message on a {@code Pipe} connection. */
  DATA(0x10),
  /** The sender closes its end of a {@code Pipe} connection; nothing follows. */
  CLOSE(0x11);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code & 0xFF] = t;
    }
  }

  private final byte code;

  FrameType(int code) {
    this.code = (byte) code;
  }

  /** {@return the byte that stands for this type on the wire} */
  public byte code() {
    return code;
  }

  /**
   * Returns the type a wire code stands for.
   *
   * @param code the type byte read from a frame
   * @return the type
   * @throws CorruptedFrameException if no type has this code
   */
  public static FrameType fromCode(byte code) throws CorruptedFrameException {
    FrameType t = BY_CODE[code & 0xFF];
    if (t == null) {
      throw new CorruptedFrameException(String.format(
          "frame type code must be one of the known codes %s: code=0x%02X",
          knownCodes(), code & 0xFF));
    }
    return t;
  }

  private static String knownCodes() {
    StringBuilder sb = new StringBuilder("[");
    for (FrameType t : values()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(String.format("0x%02X", t.code & 0xFF));
    }
    return sb.append(']').toString();
  }
}
