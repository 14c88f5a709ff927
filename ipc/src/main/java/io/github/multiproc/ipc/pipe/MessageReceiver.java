package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.MessageKindException;
import io.github.multiproc.ipc.frame.Frame;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The receiving half of a {@link SocketConnection}: takes the peer's messages in order, from the
 * peer's ring if it has one (spinning on its published position, then sleeping on the socket)
 * or from the socket; handles ring announcements, wake-ups and PINGs on the way; after CLOSE or
 * the end of the socket, delivers what the ring still holds, then reports end of stream; and
 * checks each message's {@link MessageKind} against the call that receives it.
 *
 * <p>Thread safety: every method takes the receive lock, so concurrent receivers get distinct
 * messages; {@link #close()} may race with a receiver, which then fails with
 * {@link ClosedChannelException}.
 */
final class MessageReceiver {

  /** Supplies the connection's channel, waiting up to a timeout (negative: forever) for attach. */
  @FunctionalInterface
  interface ChannelSource {
    /** @return the channel, or {@code null} if it was not attached in time */
    FrameChannel get(long timeoutNanos) throws IOException;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final RingReader ringReader;
  private final BooleanSupplier closed;
  /* Guarded by lock. */
  private Frame pending; // received (by poll, or by a call of the other kind), not yet returned
  private String endOfStream; // why the stream ended, once it has
  private String peerGone; // why the peer's stream ended (delivered once the ring is drained)

  /**
   * @param spinNanos the longest spin before a receive blocks
   * @param closed tells whether the connection was closed
   */
  MessageReceiver(long spinNanos, BooleanSupplier closed) {
    this.ringReader = new RingReader(spinNanos);
    this.closed = closed;
  }

  /**
   * Receives the next message, blocking until one arrives, and checks its kind.
   *
   * @param source the connection's channel
   * @param want the kind the caller receives
   * @return the message's bytes
   * @throws MessageKindException if the next message is of the other kind (it stays first)
   * @throws EOFException at the end of the stream
   */
  byte[] take(ChannelSource source, MessageKind want) throws IOException {
    lock.lock();
    try {
      Frame f = pending;
      pending = null;
      if (f == null) {
        if (endOfStream != null) {
          throw new EOFException(endOfStream);
        }
        f = receive(source.get(-1), -1);
      }
      MessageKind kind = MessageKind.of(f);
      if (kind != want) {
        pending = f; // the right call receives it next
        throw new MessageKindException("the next message on this pipe was sent with " + kind.sentBy()
            + "(...) and must be received with " + kind.receivedBy() + "(), not " + want.receivedBy()
            + "(); it is still there");
      }
      return f.payload();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code nanos} for a message or the end of the stream.
   *
   * @return whether one is ready
   */
  boolean poll(ChannelSource source, long nanos) throws IOException {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      if (pending != null || endOfStream != null) {
        return true;
      }
      FrameChannel c = source.get(nanos);
      if (c == null) {
        return false;
      }
      try {
        pending = receive(c, Math.max(0, deadline - System.nanoTime()));
        return pending != null;
      } catch (EOFException e) {
        return true; // the receive calls will throw it
      }
    } finally {
      lock.unlock();
    }
  }

  /** Null on timeout. Called with the lock held. */
  private Frame receive(FrameChannel c, long timeoutNanos) throws IOException {
    try {
      return receiveFromRingOrSocket(c, timeoutNanos);
    } catch (IllegalStateException e) {
      if (closed.getAsBoolean()) {
        throw new ClosedChannelException(); // the ring was unmapped by close()
      }
      throw e;
    }
  }

  private Frame receiveFromRingOrSocket(FrameChannel c, long timeoutNanos) throws IOException {
    long start = System.nanoTime();
    while (true) {
      Frame m = ringReader.take();
      if (m != null) {
        return m;
      }
      if (peerGone != null) { // nothing more will come: the ring is drained as far as it can be
        endOfStream = peerGone;
        throw new EOFException(peerGone);
      }
      long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
      // Only a record that points to a socket frame not read yet lets us block without the
      // sleeping flag (that frame is on its way); any other wait must raise the flag first.
      boolean sleep = ringReader.attached() && !ringReader.markerWaiting();
      if (sleep) {
        if (ringReader.spin(left, closed) || !ringReader.fallAsleep()) {
          continue;
        }
        left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
      }
      Frame f;
      try {
        f = c.receive(left, !ringReader.attached());
      } catch (EOFException e) {
        peerGone = e.getMessage();
        continue;
      } finally {
        if (sleep) {
          ringReader.wakeUp();
        }
      }
      if (f == null) {
        return null;
      }
      switch ((PipeFrameType) f.type()) {
        case DATA -> {
          if (f.correlationId() == SocketConnection.RING_ANNOUNCE_ID) {
            ringReader.attach(f);
          } else if (f.correlationId() < 0) {
            throw new IOException("pipe peer sent an unknown control frame: " + f);
          } else if (!ringReader.attached()) {
            return f;
          } else {
            ringReader.stash(f); // a ring record points to it
          }
        }
        case PING -> {
          // a wake-up, or a blocked sender's liveness probe
        }
        case CLOSE -> peerGone = "the peer closed its end of the pipe";
        default -> throw new IOException("pipe peer sent an unexpected " + f.type()
            + " frame; only DATA, PING and CLOSE are valid after the handshake");
      }
    }
  }

  /**
   * Reads, without waiting, frames the peer sent and nobody will receive now, and deletes the
   * ring file an announcement among them names: it would otherwise never be mapped, and so
   * never deleted. Skipped if a receiver is busy (it then fails with ClosedChannelException).
   */
  void forgetUnreadAnnouncements(FrameChannel c) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      Frame f;
      while ((f = c.receive(0, false)) != null) {
        if (f.type() == PipeFrameType.DATA && f.correlationId() == SocketConnection.RING_ANNOUNCE_ID
            && f.payload().length > 8) {
          SharedRing.deleteUnmapped(Path.of(new String(f.payload(), 8, f.payload().length - 8,
              StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // end of stream or a broken stream: nothing more to find
    } finally {
      lock.unlock();
    }
  }

  /** Unmaps the peer's ring. */
  void close() throws IOException {
    ringReader.close();
  }
}
