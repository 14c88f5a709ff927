package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.FrameDialect;
import io.github.multiproc.ipc.frame.FrameType;

/**
 * The frame types of a {@code Pipe} connection: the pipe's dialect of the frame envelope.
 *
 * <pre>
 *   code  type    correlation id        payload
 *   0x01  HELLO   0                     {@link io.github.multiproc.ipc.frame.Hello} + the pipe's cookie
 *   0x05  ERROR   0                     UTF-8 reason; the handshake failed
 *   0x0A  PING    0                     empty; a ring's wake-up, or a liveness probe
 *   0x10  DATA    sequence number       one message
 *   0x11  CLOSE   0                     empty; the sender closed its end, nothing follows
 * </pre>
 *
 * <p>Thread safety: immutable.
 */
public enum PipeFrameType implements FrameType {
  /** The handshake's first frame each way. */
  HELLO(FrameType.HELLO_CODE),
  /** The handshake failed. */
  ERROR(FrameType.ERROR_CODE),
  /** A wake-up or liveness probe. */
  PING(0x0A),
  /** One message. */
  DATA(0x10),
  /** The sender closes its end; nothing follows. */
  CLOSE(0x11);

  /** Reads a pipe's frames. */
  public static final FrameDialect DIALECT = FrameDialect.of("pipe", values());

  private final byte code;

  PipeFrameType(int code) {
    this.code = (byte) code;
  }

  @Override
  public byte code() {
    return code;
  }
}
