package io.github.multiproc.ipc.frame;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads frames from an {@link InputStream}, checking each header before reading further.
 *
 * {@snippet :
 * try (FrameReader reader = new FrameReader(process.getInputStream(), Frames.DEFAULT_MAX_FRAME_BYTES, dialect)) {
 *   Frame frame;
 *   while ((frame = reader.read()) != null) { // null: the peer closed cleanly
 *     handle(frame);
 *   }
 * } catch (FrameException e) {
 *   // corrupt, oversize or truncated: the peer's or the transport's fault; close the stream
 * }
 * }
 *
 * <p>Rules (see {@code docs/protocol.md}): a length below {@link Frames#MIN_LENGTH} or an unknown
 * type is a {@link CorruptedFrameException}; a length above the maximum is a
 * {@link TooLongFrameException}, thrown after reading the 4 length bytes and nothing more; the
 * end of the stream before a frame's first byte is a clean close ({@code null}); the end of the
 * stream after it is a {@link TruncatedFrameException} naming how many bytes were missing. Short
 * reads of any size are handled. Memory: a payload buffer grows with the bytes that actually
 * arrive, so a hostile length never allocates much more than was sent.
 *
 * <p>Thread safety: {@code read} may be called from any thread; calls are serialised. After a
 * {@link FrameException} the stream is out of step and the reader should be closed.
 *
 * @since 0.1
 */
public final class FrameReader implements Closeable {

  /** Payloads up to this size get their final buffer at once; larger ones grow as bytes arrive. */
  static final int EAGER_ALLOCATION_BYTES = 1 << 20;

  private final InputStream in;
  private final int maxFrameBytes;
  private final FrameDialect dialect;
  private final ReentrantLock lock = new ReentrantLock();
  /* Accessed only under lock. */
  private final byte[] header = new byte[Frames.HEADER_BYTES];

  /**
   * Creates a reader.
   *
   * @param in the stream; the reader owns it from now on and closes it in {@link #close()}
   * @param maxFrameBytes the maximum of the length field, as in {@link Frames#checkMaxFrameBytes}
   * @param dialect the protocol whose type codes the frames carry
   */
  public FrameReader(InputStream in, int maxFrameBytes, FrameDialect dialect) {
    this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
    this.in = Objects.requireNonNull(in, "in");
    this.maxFrameBytes = Frames.checkMaxFrameBytes(maxFrameBytes);
  }

  /** {@return the maximum of the length field this reader accepts} */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Reads the next frame, blocking until it is complete.
   *
   * @return the frame, or {@code null} if the stream ended cleanly before it
   * @throws CorruptedFrameException if the header is impossible
   * @throws TooLongFrameException if the declared length is above the maximum
   * @throws TruncatedFrameException if the stream ended inside the frame
   * @throws IOException if the stream fails
   */
  public Frame read() throws IOException {
    lock.lock();
    try {
      int n = readUpTo(header, 0, Frames.LENGTH_FIELD_BYTES);
      if (n == 0) {
        return null;
      }
      if (n < Frames.LENGTH_FIELD_BYTES) {
        throw TruncatedFrameException.at(n, -1);
      }
      int payloadLength = Frames.checkLength(Frames.getInt(header, 0), maxFrameBytes);
      long frameBytes = (long) Frames.HEADER_BYTES + payloadLength;
      n += readUpTo(header, n, Frames.HEADER_BYTES - n);
      if (n < Frames.HEADER_BYTES) {
        throw TruncatedFrameException.at(n, frameBytes);
      }
      FrameType type = dialect.typeOf(header[Frames.TYPE_OFFSET]);
      long correlationId = Frames.getLong(header, Frames.CORRELATION_ID_OFFSET);
      return new Frame(type, correlationId, readPayload(payloadLength, frameBytes));
    } finally {
      lock.unlock();
    }
  }

  private byte[] readPayload(int payloadLength, long frameBytes) throws IOException {
    byte[] payload = new byte[Math.min(payloadLength, EAGER_ALLOCATION_BYTES)];
    int filled = 0;
    while (true) {
      int n = readUpTo(payload, filled, payload.length - filled);
      filled += n;
      if (filled < payload.length) {
        throw TruncatedFrameException.at(Frames.HEADER_BYTES + filled, frameBytes);
      }
      if (filled == payloadLength) {
        return payload;
      }
      // Grow only as far as bytes have actually arrived: at most doubling.
      payload = Arrays.copyOf(payload, (int) Math.min(payloadLength, 2L * payload.length));
    }
  }

  /** Reads until {@code len} bytes or end of stream; returns how many were read. */
  private int readUpTo(byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /**
   * Closes the stream.
   *
   * @throws IOException if the stream fails
   */
  @Override
  public void close() throws IOException {
    in.close(); // not under the lock: closing must unblock a reader blocked in read()
  }
}
