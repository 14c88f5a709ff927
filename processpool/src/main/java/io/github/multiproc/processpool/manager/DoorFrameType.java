package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.frame.FrameDialect;
import io.github.multiproc.ipc.frame.FrameType;

/**
 * The frame types of a manager's door (see {@code docs/protocol.md} §5): the shared HELLO and
 * ERROR, nothing else. A client says HELLO with the manager's secret; the manager answers HELLO
 * with the handle of a fresh pipe, and the door connection ends.
 */
enum DoorFrameType implements FrameType {
  HELLO(FrameType.HELLO_CODE),
  ERROR(FrameType.ERROR_CODE);

  /** The door's dialect. */
  static final FrameDialect DIALECT = FrameDialect.of("manager door", values());

  private final byte code;

  DoorFrameType(int code) {
    this.code = (byte) code;
  }

  @Override
  public byte code() {
    return code;
  }
}
