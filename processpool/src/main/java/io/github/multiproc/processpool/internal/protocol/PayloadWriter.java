package io.github.multiproc.processpool.internal.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer for building frame payloads without intermediate streams.
 *
 * <p>Not thread-safe: one writer builds one payload.
 */
public final class PayloadWriter {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int size;

  /**
   * Creates a writer.
   *
   * @param initialCapacity the first buffer's size, at least 16
   */
  public PayloadWriter(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  /**
   * Creates a writer that writes into {@code buffer} from its first byte: its old bytes are
   * written over as the payload grows, and {@link #finish()} returns it when the payload fills it
   * exactly (else a copy, as always).
   *
   * @param buffer the array to write into, at least 16 bytes
   */
  public PayloadWriter(byte[] buffer) {
    if (buffer.length < 16) {
      throw new IllegalArgumentException("a payload buffer holds at least 16 bytes: " + buffer.length);
    }
    this.buf = buffer;
  }

  /** @return the bytes written so far */
  public int size() {
    return size;
  }

  /** @return the internal buffer; valid up to {@link #size()} */
  public byte[] buffer() {
    return buf;
  }

  /** @return a copy of the bytes written */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /**
   * Ends the writer: returns the bytes written, as the buffer itself when it is exactly full (no
   * copy), else as a copy. Nothing may be written after.
   *
   * @return the bytes written
   */
  public byte[] finish() {
    byte[] out = size == buf.length ? buf : Arrays.copyOf(buf, size);
    buf = new byte[0];
    size = 0;
    return out;
  }

  /**
   * Makes room for {@code n} more bytes.
   *
   * @param n bytes about to be written
   */
  public void ensure(int n) {
    long needed = (long) size + n;
    if (needed > buf.length) {
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("payload cannot exceed 2 GiB: needed=" + needed);
      }
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
    }
  }

  /**
   * Counts bytes written straight into {@link #buffer()} after {@link #ensure}.
   *
   * @param n the bytes written
   */
  public void advance(int n) {
    if (n < 0 || size + n > buf.length) {
      throw new IllegalArgumentException("advance must stay within the buffer: n=" + n + ", size=" + size);
    }
    size += n;
  }

  /**
   * Forgets everything written after {@code size}, for an encoder that gives up on a fast path.
   *
   * @param size a size this writer had earlier, at most {@link #size()}
   */
  public void truncate(int size) {
    if (size < 0 || size > this.size) {
      throw new IllegalArgumentException("truncate must not grow the payload: size=" + size + ", current=" + this.size);
    }
    this.size = size;
  }

  /** @param v the byte */
  public void putByte(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  /** @param v the int, big-endian */
  public void putInt(int v) {
    ensure(4);
    INT.set(buf, size, v);
    size += 4;
  }

  /** @param v the long, big-endian */
  public void putLong(long v) {
    ensure(8);
    LONG.set(buf, size, v);
    size += 8;
  }

  /**
   * Writes an int without a bounds check on capacity; call {@link #ensure} first.
   *
   * @param v the int
   */
  public void putIntUnchecked(int v) {
    INT.set(buf, size, v);
    size += 4;
  }

  /**
   * Writes a long without growing; call {@link #ensure} first.
   *
   * @param v the long
   */
  public void putLongUnchecked(long v) {
    LONG.set(buf, size, v);
    size += 8;
  }

  /** @param bytes written as they are */
  public void putBytes(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  /** @param bytes written as {@code int32 length | bytes}, or {@code -1} for null */
  public void putSized(byte[] bytes) {
    if (bytes == null) {
      putInt(-1);
    } else {
      putInt(bytes.length);
      putBytes(bytes);
    }
  }
}
