package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameDecoder;
import io.github.multiproc.ipc.frame.FrameEncoder;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.TruncatedFrameException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Frames over a non-blocking socket, with a wait strategy tuned for these machines: a waiting
 * side first spins (re-trying the non-blocking read or write, {@link Thread#onSpinWait()}
 * between tries) for up to an {@link AdaptiveSpin adaptive budget}, then blocks in a
 * {@link Selector} (epoll), so an idle end uses no CPU. Spinning catches a busy peer's answer
 * without a cross-core wake-up (~60 µs here); a spin that fails, or that is preempted (the CPU
 * is oversubscribed), shrinks the budget, so under load the channel behaves as a blocking one.
 * See {@code docs/architecture.md}.
 *
 * <p>Thread safety: one thread may receive while another sends; receivers are serialised among
 * themselves, and so are senders. {@link #close()} may be called from any thread and wakes
 * blocked callers, which then throw {@link ClosedChannelException}.
 */
final class FrameChannel implements Closeable {

  static final int READ_BUFFER_BYTES = 1 << 20;
  static final int SOCKET_BUFFER_BYTES = 4 << 20;
  /** Size of the direct buffer frames are copied through on their way to the socket. */
  static final int WRITE_BUFFER_BYTES = 1 << 20;

  /**
   * A gap this long between two tries of a spin means this thread was preempted: the CPU is
   * oversubscribed, the peer probably waits for a core, and spinning only delays it.
   */
  static final long PREEMPTED_NANOS = 50_000;

  private final SocketChannel channel;
  private final AdaptiveSpin receiveSpin;
  private final AdaptiveSpin sendSpin;
  private final FrameEncoder encoder;
  private final Selector readSelector;
  private final Selector writeSelector;
  private final ReentrantLock receiveLock = new ReentrantLock();
  private final ReentrantLock sendLock = new ReentrantLock();
  /* Accessed only under receiveLock. In read mode: holds bytes received and not yet decoded. */
  private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).flip();
  private FrameDecoder decoder;
  private final int maxFrameBytes;
  private boolean endOfStream;
  /* Accessed only under sendLock. */
  private final ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
  private volatile boolean closed;

  FrameChannel(SocketChannel channel, int maxFrameBytes, long spinNanos) throws IOException {
    this.channel = channel;
    this.receiveSpin = new AdaptiveSpin(spinNanos);
    this.sendSpin = new AdaptiveSpin(spinNanos);
    this.encoder = new FrameEncoder(maxFrameBytes);
    this.maxFrameBytes = maxFrameBytes;
    this.decoder = new FrameDecoder(maxFrameBytes, PipeFrameType.DIALECT);
    boolean ok = false;
    Selector r = null;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      r = Selector.open();
      Selector w = Selector.open();
      channel.register(r, SelectionKey.OP_READ);
      channel.register(w, SelectionKey.OP_WRITE);
      this.readSelector = r;
      this.writeSelector = w;
      ok = true;
    } finally {
      if (!ok) {
        if (r != null) {
          r.close();
        }
        channel.close();
      }
    }
  }

  /**
   * Sends one frame, waiting while the socket buffer is full.
   *
   * @throws ClosedChannelException if this channel is closed
   * @throws IOException if the peer is gone or the frame is too long
   */
  void send(FrameType type, long id, byte[] payload, int off, int len) throws IOException {
    sendLock.lock();
    try {
      ensureOpen();
      // Copy through our own direct buffer, a piece at a time: writing a heap buffer would make
      // the JDK copy all of its remaining bytes into a temporary direct buffer on every write.
      out.clear();
      encoder.encodeHeader(type, id, len, out);
      int done = 0;
      while (true) {
        int n = Math.min(out.remaining(), len - done);
        out.put(payload, off + done, n).flip();
        done += n;
        writeFully(out);
        if (done == len) {
          return;
        }
        out.clear();
      }
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Switches to allocating whole payload buffers at once (fewer copies for big messages): call
   * once the peer is authenticated, at a frame boundary.
   */
  void trustPeer() {
    receiveLock.lock();
    try {
      if (!decoder.isMidFrame()) {
        decoder = new FrameDecoder(maxFrameBytes, maxFrameBytes, PipeFrameType.DIALECT);
      }
    } finally {
      receiveLock.unlock();
    }
  }

  private void writeFully(ByteBuffer a) throws IOException {
    long spinUntil = 0;
    long lastTry = 0;
    while (a.hasRemaining()) {
      long n = channel.write(a);
      if (n > 0) {
        if (spinUntil != 0 && spinUntil != Long.MIN_VALUE) {
          sendSpin.succeeded();
        }
        spinUntil = 0;
        continue;
      }
      long now = System.nanoTime();
      if (spinUntil == 0) {
        long budget = sendSpin.budget();
        spinUntil = budget == 0 ? Long.MIN_VALUE : now + budget;
        lastTry = now;
      }
      if (spinUntil != Long.MIN_VALUE && now - spinUntil < 0 && now - lastTry < PREEMPTED_NANOS) {
        lastTry = now;
        Thread.onSpinWait();
      } else {
        if (spinUntil != Long.MIN_VALUE) {
          sendSpin.failed();
          spinUntil = Long.MIN_VALUE;
        }
        await(writeSelector, -1, "to send");
      }
    }
  }

  /**
   * Receives the next frame.
   *
   * @param timeoutNanos how long to wait; negative: forever
   * @return the frame, or {@code null} if none came in time
   * @throws EOFException at the end of the stream (clean, or mid-frame: then naming the missing bytes)
   * @throws ClosedChannelException if this channel is closed
   * @throws InterruptedIOException if the thread is interrupted while waiting (status kept)
   */
  Frame receive(long timeoutNanos) throws IOException {
    return receive(timeoutNanos, true);
  }

  /**
   * Receives the next frame, as {@link #receive(long)}, optionally without spinning first (when
   * the caller has spun on something cheaper already).
   */
  Frame receive(long timeoutNanos, boolean spin) throws IOException {
    receiveLock.lock();
    try {
      ensureOpen();
      long start = System.nanoTime();
      long budget = spin ? receiveSpin.budget() : 0;
      long spinUntil = start + Math.min(budget, timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos);
      boolean spinning = budget > 0;
      boolean waited = false;
      boolean blocked = false;
      long lastTry = start;
      while (true) {
        Frame f = decoder.decodeNext(in);
        if (f != null) {
          if (spinning && waited && !blocked) {
            receiveSpin.succeeded();
          }
          return f;
        }
        if (endOfStream) {
          throw endOfStreamException();
        }
        in.clear();
        int n;
        try {
          n = channel.read(in);
        } finally {
          in.flip();
        }
        if (n > 0) {
          continue;
        }
        if (n < 0) {
          endOfStream = true;
          continue;
        }
        waited = true;
        long now = System.nanoTime();
        if (spinning && now - spinUntil < 0 && now - lastTry < PREEMPTED_NANOS) {
          lastTry = now;
          Thread.onSpinWait();
          continue;
        }
        if (spinning) {
          spinning = false; // the spin did not pay: block, and spin less next time
          receiveSpin.failed();
        }
        long left = timeoutNanos < 0 ? -1 : timeoutNanos - (now - start);
        if (timeoutNanos >= 0 && left <= 0) {
          return null;
        }
        await(readSelector, left, "for a message");
        blocked = true;
      }
    } finally {
      receiveLock.unlock();
    }
  }

  private EOFException endOfStreamException() {
    try {
      decoder.endOfStream();
      return new EOFException("the peer closed its end of the pipe");
    } catch (TruncatedFrameException e) {
      EOFException eof = new EOFException("the peer's end of the pipe closed in the middle of a"
          + " message (its process probably died): " + e.getMessage());
      eof.initCause(e);
      return eof;
    } catch (IllegalStateException e) {
      EOFException eof = new EOFException("the pipe's stream is unusable: " + e.getMessage());
      eof.initCause(e);
      return eof;
    }
  }

  /** Blocks until the selector's interest is ready, the timeout passes, or close()/interrupt. */
  private void await(Selector selector, long timeoutNanos, String what) throws IOException {
    try {
      if (timeoutNanos < 0) {
        selector.select();
      } else {
        selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
      }
      selector.selectedKeys().clear();
    } catch (ClosedSelectorException e) {
      throw closedException();
    }
    ensureOpen();
    if (Thread.currentThread().isInterrupted()) {
      // The interrupt status stays set for the caller to see.
      throw new InterruptedIOException("interrupted while waiting " + what + " on a pipe");
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (closed) {
      throw closedException();
    }
  }

  private static ClosedChannelException closedException() {
    return new ClosedChannelException();
  }

  /** @return the lock that serialises senders; hold it to make several frames one unit */
  ReentrantLock sendLock() {
    return sendLock;
  }

  boolean isOpen() {
    return !closed;
  }

  /**
   * Tells the peer this end closes, if that can be done without waiting (no send in progress,
   * room in the socket buffer for the whole frame), then closes. Never blocks: a peer that does
   * not get the frame still sees the end of the stream.
   *
   * @return whether the peer is known to be gone (writing to it failed)
   */
  boolean closeGracefully(FrameType closeType) throws IOException {
    boolean peerGone = false;
    if (!closed && sendLock.tryLock()) {
      try {
        out.clear();
        encoder.encodeHeader(closeType, 0, 0, out);
        out.flip();
        channel.write(out); // one try; a partial frame is reported to the peer as a cut stream
      } catch (IOException e) {
        peerGone = true; // nothing to tell it
      } finally {
        sendLock.unlock();
      }
    }
    close();
    return peerGone;
  }

  /** Closes the socket and wakes any blocked sender or receiver. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } finally {
      readSelector.close();
      writeSelector.close();
    }
  }
}
