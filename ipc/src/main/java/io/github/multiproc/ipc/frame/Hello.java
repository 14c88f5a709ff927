package io.github.multiproc.ipc.frame;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payload of a HELLO frame ({@link FrameType#HELLO_CODE} in every dialect): the first frame each side of a channel sends,
 * which proves the peer speaks this protocol and negotiates its version.
 *
 * <pre>
 *  offset  size  field
 *   0      4     magic        0x4D 0x50 0x52 0x43 ("MPRC")
 *   4      2     minVersion   uint16, big-endian: oldest protocol version the sender speaks
 *   6      2     maxVersion   uint16, big-endian: newest protocol version the sender speaks
 *   8      8     pid          int64, big-endian: the sender's process id
 *  16      2     n            uint16: length of javaVersion in bytes
 *  18      n     javaVersion  UTF-8, e.g. "25.0.1+8"
 *  18+n    rest  extension    opaque bytes defined by the channel (e.g. a Pipe's cookie)
 * </pre>
 *
 * <p>Negotiation: each side sends its HELLO, reads the peer's, and both use
 * {@link #negotiate(Hello)}: the highest version both speak. If there is none, the side that
 * finds out sends an ERROR frame ({@link FrameType#ERROR_CODE}) and closes (see {@code docs/protocol.md}).
 *
 * {@snippet :
 * writer.write(Hello.current().toFrame(PipeFrameType.HELLO));
 * writer.flush();
 * Frame reply = reader.read();
 * int version = Hello.fromFrame(reply).negotiate(Hello.current()); // ProtocolMismatchException if none
 * }
 *
 * <p>Thread safety: immutable (the extension array is copied in and out).
 *
 * @param minVersion oldest protocol version the sender speaks, 1..65535
 * @param maxVersion newest protocol version the sender speaks, minVersion..65535
 * @param pid the sender's process id
 * @param javaVersion the sender's {@code Runtime.version()}, at most 65535 UTF-8 bytes
 * @param extension channel-defined bytes after the fixed fields, never {@code null}
 * @since 0.1
 */
public record Hello(int minVersion, int maxVersion, long pid, String javaVersion, byte[] extension) {

  /** The magic number at offset 0 of every HELLO payload: "MPRC" in ASCII. */
  public static final int MAGIC = 0x4D505243;
  /** The protocol version this library speaks, and the only one so far. */
  public static final int PROTOCOL_VERSION = 1;
  /** Size of the fixed part of the payload before {@code javaVersion}. */
  public static final int FIXED_BYTES = 18;

  /**
   * Checks the fields and copies the extension.
   *
   * @param minVersion 1..65535
   * @param maxVersion minVersion..65535
   * @param pid any value
   * @param javaVersion not null, at most 65535 UTF-8 bytes
   * @param extension not null
   */
  public Hello {
    if (minVersion < 1 || maxVersion > 0xFFFF || minVersion > maxVersion) {
      throw new IllegalArgumentException("versions must satisfy 1 <= minVersion <= maxVersion <= 65535:"
          + " minVersion=" + minVersion + ", maxVersion=" + maxVersion);
    }
    Objects.requireNonNull(javaVersion, "javaVersion");
    if (javaVersion.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
      throw new IllegalArgumentException("javaVersion must be at most 65535 UTF-8 bytes");
    }
    extension = extension.clone();
  }

  /**
   * Returns the HELLO this process sends, with channel-defined bytes after the fixed fields.
   *
   * @param extension channel-defined bytes to append
   * @return the HELLO of this process: version {@link #PROTOCOL_VERSION}, its pid and Java version
   */
  public static Hello current(byte[] extension) {
    return new Hello(PROTOCOL_VERSION, PROTOCOL_VERSION, ProcessHandle.current().pid(),
        Runtime.version().toString(), extension);
  }

  /** {@return the HELLO of this process without extension} */
  public static Hello current() {
    return current(new byte[0]);
  }

  /**
   * Returns the channel-defined bytes after the fixed fields.
   *
   * @return a copy of the extension bytes, never {@code null}
   */
  @Override
  public byte[] extension() {
    return extension.clone();
  }

  /**
   * Returns the version both sides speak.
   *
   * @param peer the other side's HELLO
   * @return the highest version both speak
   * @throws ProtocolMismatchException if their ranges do not overlap
   */
  public int negotiate(Hello peer) throws ProtocolMismatchException {
    int lo = Math.max(minVersion, peer.minVersion);
    int hi = Math.min(maxVersion, peer.maxVersion);
    if (lo > hi) {
      throw new ProtocolMismatchException("protocol versions must overlap: this side speaks "
          + minVersion + ".." + maxVersion + ", peer (pid " + peer.pid + ", Java "
          + peer.javaVersion + ") speaks " + peer.minVersion + ".." + peer.maxVersion);
    }
    return hi;
  }

  /**
   * Encodes this HELLO as the payload of a HELLO frame (code {@link FrameType#HELLO_CODE} in
   * every dialect).
   *
   * @return the payload bytes
   */
  public byte[] encode() {
    byte[] jv = javaVersion.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(FIXED_BYTES + jv.length + extension.length)
        .putInt(MAGIC).putShort((short) minVersion).putShort((short) maxVersion).putLong(pid)
        .putShort((short) jv.length).put(jv).put(extension).array();
  }

  /**
   * Encodes this HELLO into a frame of a dialect's HELLO type.
   *
   * @param helloType the dialect's HELLO type (its code must be {@link FrameType#HELLO_CODE})
   * @return this HELLO as a frame, correlation id 0
   */
  public Frame toFrame(FrameType helloType) {
    if (helloType.code() != FrameType.HELLO_CODE) {
      throw new IllegalArgumentException("a HELLO frame's type code must be 0x01: " + helloType.name());
    }
    return new Frame(helloType, 0, encode());
  }

  /**
   * Parses a HELLO frame.
   *
   * @param frame the frame
   * @return its HELLO
   * @throws CorruptedFrameException if the frame is not a HELLO, the magic is wrong, or the
   *     payload is too short or malformed
   */
  public static Hello fromFrame(Frame frame) throws CorruptedFrameException {
    if (frame.type().code() != FrameType.HELLO_CODE) {
      throw new CorruptedFrameException("the first frame must be a HELLO: type=" + frame.type().name());
    }
    return decode(frame.payload());
  }

  /**
   * Parses a HELLO payload.
   *
   * @param payload the payload of a HELLO frame
   * @return its HELLO
   * @throws CorruptedFrameException if the magic is wrong, or the payload is too short or malformed
   */
  public static Hello decode(byte[] payload) throws CorruptedFrameException {
    ByteBuffer b = ByteBuffer.wrap(payload);
    try {
      int magic = b.getInt();
      if (magic != MAGIC) {
        throw new CorruptedFrameException(String.format(
            "HELLO must start with magic 0x%08X (\"MPRC\"): magic=0x%08X", MAGIC, magic));
      }
      int min = Short.toUnsignedInt(b.getShort());
      int max = Short.toUnsignedInt(b.getShort());
      long pid = b.getLong();
      int n = Short.toUnsignedInt(b.getShort());
      byte[] jv = new byte[n];
      b.get(jv);
      String javaVersion = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(jv)).toString();
      byte[] extension = Arrays.copyOfRange(payload, b.position(), b.limit());
      return new Hello(min, max, pid, javaVersion, extension);
    } catch (BufferUnderflowException e) {
      throw new CorruptedFrameException("HELLO payload must hold at least " + FIXED_BYTES
          + " bytes plus its javaVersion: length=" + payload.length);
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw new CorruptedFrameException("HELLO payload is malformed: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hello h && minVersion == h.minVersion && maxVersion == h.maxVersion
        && pid == h.pid && javaVersion.equals(h.javaVersion) && Arrays.equals(extension, h.extension);
  }

  @Override
  public int hashCode() {
    return Objects.hash(minVersion, maxVersion, pid, javaVersion) * 31 + Arrays.hashCode(extension);
  }

  @Override
  public String toString() {
    return "Hello[versions " + minVersion + ".." + maxVersion + ", pid " + pid + ", Java "
        + javaVersion + ", " + extension.length + " extension bytes]";
  }
}
