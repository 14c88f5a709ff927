package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.Frame;

/**
 * What a pipe message holds: bytes given to {@code sendBytes}, or an object encoded by
 * {@code send}. The kind travels with every message (see {@code docs/protocol.md} §3), so a
 * receiver that asks for the other kind gets an error that says so, never a wrong value.
 *
 * <pre>
 *  on the socket   DATA frame correlation id: bit 62 set for OBJECT, clear for BYTES; bits 0-61
 *                  the sequence number (bit 63 clear: negative ids are control frames)
 *  in the ring     record word +4 (int32): 0 BYTES, 1 OBJECT
 * </pre>
 *
 * <p>Immutable; thread-safe.
 */
enum MessageKind {

  /** Raw bytes: {@code sendBytes} / {@code recvBytes}. */
  BYTES(0, "sendBytes", "recvBytes"),
  /** An encoded object: {@code send} / {@code recv}. */
  OBJECT(1, "send", "recv");

  /** The correlation id bit that marks an object message on the socket. */
  static final long OBJECT_ID_BIT = 1L << 62;

  private final int ringCode;
  private final String sentBy;
  private final String receivedBy;

  MessageKind(int ringCode, String sentBy, String receivedBy) {
    this.ringCode = ringCode;
    this.sentBy = sentBy;
    this.receivedBy = receivedBy;
  }

  /** {@return the ring record's kind word for this kind} */
  int ringCode() {
    return ringCode;
  }

  /** {@return the DATA frame correlation id of sequence number {@code sequence} for this kind} */
  long frameId(long sequence) {
    return this == OBJECT ? sequence | OBJECT_ID_BIT : sequence & ~OBJECT_ID_BIT;
  }

  /** {@return the kind of a received DATA frame} */
  static MessageKind of(Frame f) {
    return (f.correlationId() & OBJECT_ID_BIT) != 0 ? OBJECT : BYTES;
  }

  /** {@return the kind of a ring record's kind word, or null if it is not a kind} */
  static MessageKind ofRingCode(int code) {
    return code == 0 ? BYTES : code == 1 ? OBJECT : null;
  }

  /** {@return the method that sends this kind} */
  String sentBy() {
    return sentBy;
  }

  /** {@return the method that receives this kind} */
  String receivedBy() {
    return receivedBy;
  }
}
