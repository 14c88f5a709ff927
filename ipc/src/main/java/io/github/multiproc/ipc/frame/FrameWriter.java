package io.github.multiproc.ipc.frame;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to an {@link OutputStream}.
 *
 * {@snippet :
 * try (FrameWriter writer = new FrameWriter(process.getOutputStream(), Frames.DEFAULT_MAX_FRAME_BYTES)) {
 *   writer.write(new Frame(MessageType.TASKS, chunkId, chunkBytes));
 *   writer.flush(); // write() does not flush
 * }
 * }
 *
 * <p>A frame whose payload is small (up to {@value #COALESCE_BYTES} bytes) is copied behind its
 * header and handed to the stream in one {@code write} call; a larger one is written as header,
 * then payload, without copying. {@code write} does not flush: call {@link #flush()} when the
 * peer should see what was written (the stream may buffer, as {@code Process} streams do).
 *
 * <p>Thread safety: all methods may be called from any thread. Each frame is written atomically
 * with respect to other writers of this {@code FrameWriter}: frames never interleave. Memory
 * consistency: actions before {@code write} happen-before the bytes reach the stream.
 *
 * @since 0.1
 */
public final class FrameWriter implements Closeable {

  /** Payloads up to this size are coalesced with their header into one stream write. */
  public static final int COALESCE_BYTES = 8192;

  private final OutputStream out;
  private final int maxFrameBytes;
  private final ReentrantLock lock = new ReentrantLock();
  /* Accessed only under lock. */
  private final byte[] buffer = new byte[Frames.HEADER_BYTES + COALESCE_BYTES];

  /**
   * Creates a writer.
   *
   * @param out the stream; the writer owns it from now on and closes it in {@link #close()}
   * @param maxFrameBytes the maximum of the length field, as in {@link Frames#checkMaxFrameBytes}
   */
  public FrameWriter(OutputStream out, int maxFrameBytes) {
    this.out = Objects.requireNonNull(out, "out");
    this.maxFrameBytes = Frames.checkMaxFrameBytes(maxFrameBytes);
  }

  /** {@return the maximum of the length field this writer enforces} */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Writes one frame (without flushing).
   *
   * @param frame the frame
   * @throws TooLongFrameException if the frame is longer than the maximum; nothing was written
   * @throws IOException if the stream fails; the stream may then hold part of the frame
   */
  public void write(Frame frame) throws IOException {
    write(frame.type(), frame.correlationId(), frame.payload(), 0, frame.payload().length);
  }

  /**
   * Writes one frame whose payload is a slice of an array (without flushing).
   *
   * @param type the frame type
   * @param correlationId the correlation id
   * @param payload the array holding the payload
   * @param off where the payload starts in {@code payload}
   * @param len the payload size
   * @throws TooLongFrameException if the frame is longer than the maximum; nothing was written
   * @throws IOException if the stream fails; the stream may then hold part of the frame
   */
  public void write(FrameType type, long correlationId, byte[] payload, int off, int len)
      throws IOException {
    Objects.requireNonNull(type, "type");
    Objects.checkFromIndexSize(off, len, payload.length);
    Frames.checkPayloadLength(len, maxFrameBytes);
    lock.lock();
    try {
      Frames.putHeader(buffer, 0, type, correlationId, len);
      if (len <= COALESCE_BYTES) {
        System.arraycopy(payload, off, buffer, Frames.HEADER_BYTES, len);
        out.write(buffer, 0, Frames.HEADER_BYTES + len);
      } else {
        out.write(buffer, 0, Frames.HEADER_BYTES);
        out.write(payload, off, len);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Flushes the stream, so the peer can read every frame written so far.
   *
   * @throws IOException if the stream fails
   */
  public void flush() throws IOException {
    lock.lock();
    try {
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Flushes and closes the stream. The peer then reads a clean end of stream after the last
   * frame.
   *
   * @throws IOException if the stream fails
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      out.close(); // OutputStream.close flushes for buffered streams
    } finally {
      lock.unlock();
    }
  }
}
