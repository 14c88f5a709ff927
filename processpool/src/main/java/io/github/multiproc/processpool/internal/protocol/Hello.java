package io.github.multiproc.processpool.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HELLO payload: the first frame a worker sends, proving it is ready.
 *
 * <pre>
 *  0                4                       12
 *  +----------------+-----------------------+--------------------------------+
 *  | version int32  | pid int64             | javaVersion (UTF: u16 len, bytes)|
 *  +----------------+-----------------------+--------------------------------+
 * </pre>
 *
 * @param protocolVersion the worker's {@link Protocol#VERSION}
 * @param pid the worker's process id
 * @param javaVersion the worker's {@code java.version}
 */
public record Hello(int protocolVersion, long pid, String javaVersion) {

  /** @return the payload bytes */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(protocolVersion);
      out.writeLong(pid);
      out.writeUTF(javaVersion);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a HELLO payload.
   *
   * @param payload the bytes
   * @return the hello
   * @throws IOException if the payload is malformed
   */
  public static Hello decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    return new Hello(in.readInt(), in.readLong(), in.readUTF());
  }
}
