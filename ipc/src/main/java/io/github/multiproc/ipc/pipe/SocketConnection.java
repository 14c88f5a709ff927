package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathCodec;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.shm.MessageTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

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
  private final transient AtomicLong sendSequence = new AtomicLong();
  private final transient RingWriter ringWriter;
  private final transient MessageReceiver receiver;
  private transient volatile boolean closed;

  SocketConnection(PipeHandle handle, Rendezvous rendezvous) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.rendezvous = rendezvous;
    this.ringWriter = new RingWriter(handle.ringBytes(), handle.role());
    this.receiver = new MessageReceiver(handle.spinNanos(), () -> closed);
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
    sendFrame(MessageKind.OBJECT, bytes, 0, bytes.length);
  }

  @Override
  public void sendBytes(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    sendFrame(MessageKind.BYTES, bytes, offset, length);
  }

  private void sendFrame(MessageKind kind, byte[] bytes, int offset, int length) throws IOException {
    if (!handle.mode().canSend()) {
      throw new IllegalStateException("this end of a one-way pipe only receives");
    }
    int max = handle.maxFrameBytes() - Frames.MIN_LENGTH;
    if (length > max) {
      throw new MessageTooLargeException("pipe end " + handle.role(), length, max,
          "send it in parts, or open the pipe with Pipe.builder().maxMessageBytes(...)");
    }
    FrameChannel c = channel(-1);
    try {
      if (handle.ringBytes() == 0
          || !ringWriter.send(c, kind, bytes, offset, length, sendSequence, () -> closed)) {
        c.send(PipeFrameType.DATA, kind.frameId(sendSequence.getAndIncrement()), bytes, offset, length);
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

  /**
   * {@inheritDoc}
   *
   * <p>Decodes with the default {@link io.github.multiproc.ipc.codec.AllowRule}; use
   * {@link #recv(Class)} to receive a class of your own (its package is then allowed too).
   */
  @Override
  public Object recv() throws IOException {
    return codec.decode(receive(MessageKind.OBJECT));
  }

  @Override
  public <T> T recv(Class<T> type) throws IOException {
    return codec.allowingPackageOf(type).decode(receive(MessageKind.OBJECT), type);
  }

  @Override
  public byte[] recvBytes() throws IOException {
    return receive(MessageKind.BYTES);
  }

  private byte[] receive(MessageKind kind) throws IOException {
    checkReceive();
    return receiver.take(this::channel, kind);
  }

  @Override
  public boolean poll(Duration timeout) throws IOException {
    checkReceive();
    return receiver.poll(this::channel, timeout.isNegative() ? 0 : saturatedNanos(timeout));
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
      receiver.forgetUnreadAnnouncements(c);
      if (handle.mode().canSend()) {
        peerGone = c.closeGracefully(PipeFrameType.CLOSE);
      } else {
        c.close();
      }
    }
    closeRings(peerGone);
  }

  /*
   * The rings are unmapped after the socket is closed, which makes blocked senders and receivers
   * leave; one still copying fails with IllegalStateException, reported as closed.
   */
  private void closeRings(boolean peerGone) throws IOException {
    try {
      ringWriter.close(peerGone);
    } finally {
      receiver.close();
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
