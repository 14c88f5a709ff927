package io.github.multiproc.ipc.frame;

/**
 * The kind of a {@link Frame}: one byte on the wire, at offset 4 of the frame (see {@link Frames}).
 *
 * <p>The envelope gives the byte no meaning of its own: each <em>dialect</em> spoken over frames
 * (a {@code Pipe}'s messages, a process pool's worker protocol) owns its type codes, as an enum
 * that implements this interface, and reads frames through its {@link FrameDialect}. Two codes
 * are reserved in every dialect for the handshake they share ({@link Hello}):
 *
 * <pre>
 *   0x01  HELLO   the first frame each way; payload {@link Hello}
 *   0x05  ERROR   the handshake failed (UTF-8 reason); the sender closes after it
 * </pre>
 *
 * {@snippet :
 * enum ChatType implements FrameType {
 *   HELLO(FrameType.HELLO_CODE), ERROR(FrameType.ERROR_CODE), LINE(0x20);
 *   private final byte code;
 *   ChatType(int code) { this.code = (byte) code; }
 *   public byte code() { return code; }
 *   static final FrameDialect DIALECT = FrameDialect.of("chat", values());
 * }
 * }
 *
 * <p>Thread safety: implementations are immutable.
 *
 * @since 0.1
 */
public interface FrameType {

  /** The code of the HELLO frame in every dialect. */
  byte HELLO_CODE = 0x01;

  /** The code of the handshake's ERROR frame in every dialect. */
  byte ERROR_CODE = 0x05;

  /** {@return the byte that stands for this type on the wire} */
  byte code();

  /** {@return the type's name, for messages and dumps} */
  String name();
}
