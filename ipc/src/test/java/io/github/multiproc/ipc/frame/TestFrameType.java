package io.github.multiproc.ipc.frame;

/** A dialect for the envelope's own tests: every code the envelope's tests use. */
enum TestFrameType implements FrameType {
  HELLO(0x01), DEFINE(0x02), TASKS(0x03), RESULTS(0x04), ERROR(0x05), CANCEL(0x06), OUTPUT(0x07),
  SHUTDOWN(0x08), RELEASE(0x09), PING(0x0A), DATA(0x10), CLOSE(0x11);

  static final FrameDialect DIALECT = FrameDialect.of("test", values());

  private final byte code;

  TestFrameType(int code) {
    this.code = (byte) code;
  }

  @Override
  public byte code() {
    return code;
  }
}
