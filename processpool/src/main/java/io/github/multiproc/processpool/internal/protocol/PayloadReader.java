package io.github.multiproc.processpool.internal.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads what {@link PayloadWriter} wrote; every read checks bounds and fails with an
 * {@link IOException} naming the offset, so a malformed payload never reads past its end.
 *
 * <p>Not thread-safe.
 */
public final class PayloadReader {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] buf;
  private int pos;

  /** @param payload the bytes to read */
  public PayloadReader(byte[] payload) {
    this.buf = payload;
  }

  /** @return bytes left */
  public int remaining() {
    return buf.length - pos;
  }

  private void need(int n) throws IOException {
    if (n < 0 || pos + n > buf.length) {
      throw new EOFException("payload truncated: need " + n + " byte(s) at offset " + pos
          + " of " + buf.length);
    }
  }

  /**
   * Returns the next byte without consuming it.
   *
   * @return the byte at the current position
   * @throws IOException if no byte remains
   */
  public int peekByte() throws IOException {
    need(1);
    return buf[pos];
  }

  /** @return the next byte */
  public int getByte() throws IOException {
    need(1);
    return buf[pos++];
  }

  /** @return the next int */
  public int getInt() throws IOException {
    need(4);
    int v = (int) INT.get(buf, pos);
    pos += 4;
    return v;
  }

  /** @return the next long */
  public long getLong() throws IOException {
    need(8);
    long v = (long) LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  /**
   * @param n the number of bytes
   * @return a copy of the next {@code n} bytes
   */
  public byte[] getBytes(int n) throws IOException {
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** @return what {@link PayloadWriter#putSized} wrote */
  public byte[] getSized() throws IOException {
    int n = getInt();
    return n == -1 ? null : getBytes(n);
  }

  /** @return every byte left */
  public byte[] rest() throws IOException {
    return getBytes(remaining());
  }

  /**
   * Checks that {@code n} more bytes exist, for bulk readers.
   *
   * @param n bytes
   * @return the current offset, advanced past them
   */
  public int skip(int n) throws IOException {
    need(n);
    int at = pos;
    pos += n;
    return at;
  }

  /** @return the backing array, for bulk readers that called {@link #skip} */
  public byte[] array() {
    return buf;
  }

  /**
   * Reads the item count of an items block ({@link ItemsDescriptor}) that starts at {@code off}.
   *
   * @param b the payload
   * @param off the offset of the block's kind byte
   * @return the count
   */
  public static int countAt(byte[] b, int off) throws IOException {
    if (off + ItemsDescriptor.HEADER_LENGTH > b.length) {
      throw new EOFException("payload truncated: no item count at offset " + (off + ItemsDescriptor.COUNT_OFFSET));
    }
    return (int) INT.get(b, off + ItemsDescriptor.COUNT_OFFSET);
  }

  static int intAt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  static long longAt(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }
}
