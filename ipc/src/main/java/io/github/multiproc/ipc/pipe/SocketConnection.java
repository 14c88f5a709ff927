package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathCodec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameType;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Connection} over a Unix domain socket, framed as in {@code docs/protocol.md} §3.
 *
 * <p>An end is either <em>local</em> (created in the JVM that opened the pipe, attached through
 * its {@link Rendezvous} on first use) or <em>remote</em> (rebuilt from a handle in another JVM,
 * attached by connecting at once). Serializing a local end hands it out: it is replaced by its
 * handle, and the local object becomes unusable except for {@link #close()}, which is then a
 * no-op (as closing the child's end in the parent is in Python).
 *
 * <p>Thread safety: as {@link Connection}.
 */
public final class SocketConnection implements Connection, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** Correlation id of a DATA frame announcing the sender's ring: int64 capacity, UTF-8 path. */
  static final long RING_ANNOUNCE_ID = -1;
  private final transient PipeHandle handle;
  private final transient Rendezvous rendezvous; // null for a remote end
  private final transient Codec codec = FastPathCodec.create();
  private transient volatile FrameChannel channel;
  private transient IOException attachFailure; // remote end whose peer was gone
  private transient Frame pending; // received by poll, not yet returned; guarded by receiveLock
  private transient String endOfStream; // why the stream ended, once it has; guarded by receiveLock
  private final transient ReentrantLock receiveLock = new ReentrantLock();
  private final transient AtomicLong sendSequence = new AtomicLong();
  private final transient RingWriter ringWriter;
  /* Guarded by receiveLock: the peer's ring, and why the peer's stream ended (delivered once
     the ring is drained). */
  private final transient RingReader ringReader;
  private transient String peerGone;
  private transient volatile boolean closed;

  SocketConnection(PipeHandle handle, Rendezvous rendezvous) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.rendezvous = rendezvous;
    this.ringWriter = new RingWriter(handle.ringBytes(), handle.role());
    this.ringReader = new RingReader(handle.spinNanos());
  }

  /**
   * Opens a new pipe in this JVM.
   *
   * @param duplex whether both ends send and receive; if not, end 0 receives and end 1 sends
   * @param maxFrameBytes the largest frame either end accepts
   * @param spinNanos how long a waiting end spins before it blocks
   * @param ringBytes capacity of each direction's shared-memory ring for large messages (a power
   *     of 2), or 0 for none; ignored where shared memory is not available
   * @return the two ends
   * @throws IOException if the socket directory or socket cannot be created
   */
  public static SocketConnection[] openPair(boolean duplex, int maxFrameBytes, long spinNanos,
      long ringBytes) throws IOException {
    Rendezvous r = Rendezvous.open(duplex, maxFrameBytes, spinNanos,
        SharedRing.supported() ? ringBytes : 0);
    return new SocketConnection[] {
        new SocketConnection(r.handle(0), r), new SocketConnection(r.handle(1), r)};
  }

  /**
   * Attaches an end handed out by another JVM; connects at once, so a peer that is gone shows as
   * end of stream on first use.
   *
   * @param handle the text from {@link Connection#handle()}
   * @return the connection
   */
  public static SocketConnection attach(String handle) {
    SocketConnection c = new SocketConnection(PipeHandle.parse(handle), null);
    try {
      c.channel = Handshake.connect(c.handle);
    } catch (IOException e) {
      c.attachFailure = e;
    }
    return c;
  }

  /*
   * Attaching does not hold a lock while it waits for the peer, so that close() is never stuck
   * behind it: two threads attaching at once both wait for, and get, the same channel.
   */
  private FrameChannel channel(long timeoutNanos) throws IOException {
    FrameChannel c = channel;
    if (c != null) {
      return c;
    }
    if (closed) {
      throw new ClosedChannelException();
    }
    if (attachFailure != null) {
      throw rethrow(attachFailure);
    }
    if (rendezvous == null) {
      throw new IllegalStateException("remote pipe end has neither channel nor failure");
    }
    if (rendezvous.isShipped(handle.role())) {
      throw new IllegalStateException("pipe end " + handle.role() + " was handed to another"
          + " process and cannot be used here any more");
    }
    try {
      c = rendezvous.attachLocal(handle.role(), timeoutNanos);
    } catch (IOException e) {
      if (closed) {
        throw new ClosedChannelException();
      }
      throw e;
    }
    if (c == null) {
      return null;
    }
    channel = c;
    if (closed) {
      c.close(); // close() ran meanwhile and may not have seen the channel
      throw new ClosedChannelException();
    }
    return c;
  }

  private static IOException rethrow(IOException e) {
    if (e instanceof EOFException) {
      EOFException copy = new EOFException(e.getMessage());
      copy.initCause(e);
      return copy;
    }
    return new IOException(e.getMessage(), e);
  }

  @Override
  public void send(Object value) throws IOException {
    byte[] bytes = codec.encode(value);
    sendFrame(bytes, 0, bytes.length);
  }

  @Override
  public void sendBytes(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    sendFrame(bytes, offset, length);
  }

  private void sendFrame(byte[] bytes, int offset, int length) throws IOException {
    if (!handle.mode().canSend()) {
      throw new IllegalStateException("this end of a one-way pipe only receives");
    }
    FrameChannel c = channel(-1);
    try {
      if (handle.ringBytes() == 0
          || !ringWriter.send(c, bytes, offset, length, sendSequence, () -> closed)) {
        c.send(PipeFrameType.DATA, sendSequence.getAndIncrement(), bytes, offset, length);
      }
    } catch (ClosedChannelException e) {
      throw e;
    } catch (IOException e) {
      if (!c.isOpen() || closed) {
        throw new ClosedChannelException();
      }
      throw new IOException("sending on the pipe failed (the peer's end is probably closed): "
          + e.getMessage(), e);
    }
  }

  @Override
  public Object recv() throws IOException {
    return codec.decode(recvBytes());
  }

  @Override
  public byte[] recvBytes() throws IOException {
    checkReceive();
    receiveLock.lock();
    try {
      if (pending != null) {
        Frame f = pending;
        pending = null;
        return f.payload();
      }
      if (endOfStream != null) {
        throw new EOFException(endOfStream);
      }
      return receive(channel(-1), -1).payload();
    } finally {
      receiveLock.unlock();
    }
  }

  /**
   * Receives the next message, in the sender's order: from the peer's ring if it has one
   * (spinning on its published position, then sleeping on the socket), else from the socket.
   * Handles ring announcements, wake-ups and PINGs on the way; after CLOSE or the end of the
   * socket, delivers what the ring still holds, then reports end of stream. Null on timeout.
   */
  private Frame receive(FrameChannel c, long timeoutNanos) throws IOException {
    try {
      return receiveFromRingOrSocket(c, timeoutNanos);
    } catch (IllegalStateException e) {
      if (closed) {
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
        if (ringReader.spin(left, () -> closed) || !ringReader.fallAsleep()) {
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
          if (f.correlationId() == RING_ANNOUNCE_ID) {
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

  @Override
  public boolean poll(Duration timeout) throws IOException {
    checkReceive();
    long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    long deadline = System.nanoTime() + nanos;
    receiveLock.lock();
    try {
      if (pending != null || endOfStream != null) {
        return true;
      }
      FrameChannel c = channel(nanos);
      if (c == null) {
        return false;
      }
      try {
        pending = receive(c, Math.max(0, deadline - System.nanoTime()));
        return pending != null;
      } catch (EOFException e) {
        return true; // recv will throw it
      }
    } finally {
      receiveLock.unlock();
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private void checkReceive() {
    if (!handle.mode().canReceive()) {
      throw new IllegalStateException("this end of a one-way pipe only sends");
    }
  }

  @Override
  public String handle() {
    if (rendezvous == null) {
      throw new IllegalStateException("this pipe end was already handed over from another JVM;"
          + " an end can be handed out once, by the JVM that opened the pipe");
    }
    if (channel != null) {
      throw new IllegalStateException("pipe end " + handle.role() + " is in use in this JVM and"
          + " cannot be handed to another process");
    }
    return rendezvous.ship(handle.role()).format();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    FrameChannel c = channel;
    if (c == null && rendezvous != null && !rendezvous.isShipped(handle.role())) {
      // Never used here: take a channel delivered meanwhile, or make sure none will be (the
      // peer then sees end of stream).
      c = rendezvous.abandonLocalEnd(handle.role());
    }
    boolean peerGone = false;
    if (c != null) {
      forgetUnreadAnnouncements(c);
      if (handle.mode().canSend()) {
        peerGone = c.closeGracefully(PipeFrameType.CLOSE);
      } else {
        c.close();
      }
    }
    closeRings(peerGone);
  }

  /**
   * Reads, without waiting, frames the peer sent and nobody will receive now, and deletes the
   * ring file an announcement among them names: it would otherwise never be mapped, and so
   * never deleted. Skipped if a receiver is busy (it then fails with ClosedChannelException).
   */
  private void forgetUnreadAnnouncements(FrameChannel c) {
    if (!receiveLock.tryLock()) {
      return;
    }
    try {
      Frame f;
      while ((f = c.receive(0, false)) != null) {
        if (f.type() == PipeFrameType.DATA && f.correlationId() == RING_ANNOUNCE_ID && f.payload().length > 8) {
          SharedRing.deleteUnmapped(Path.of(new String(f.payload(), 8, f.payload().length - 8,
              StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // end of stream or a broken stream: nothing more to find
    } finally {
      receiveLock.unlock();
    }
  }

  /*
   * The rings are unmapped after the socket is closed, which makes blocked senders and receivers
   * leave; one still copying fails with IllegalStateException, reported as closed.
   */
  private void closeRings(boolean peerGone) throws IOException {
    try {
      ringWriter.close(peerGone);
    } finally {
      ringReader.close();
    }
  }


  @Override
  public String toString() {
    return "Connection[" + handle + (rendezvous == null ? ", remote" : ", local")
        + (closed ? ", closed" : "") + "]";
  }

  @Serial
  private Object writeReplace() throws ObjectStreamException {
    try {
      return new SerializedConnection(handle());
    } catch (IllegalStateException e) {
      throw new NotSerializableException(e.getMessage());
    }
  }

  /** The serial form of an end: its handle text. Re-attaches on deserialization. */
  record SerializedConnection(String handle) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Serial
    private Object readResolve() {
      return SocketConnection.attach(handle);
    }
  }
}
