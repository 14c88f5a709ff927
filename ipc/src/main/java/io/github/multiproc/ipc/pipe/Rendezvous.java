package io.github.multiproc.ipc.pipe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meeting point of a pipe's two ends, living in the JVM that opened the pipe: a Unix domain
 * socket in a fresh directory of mode 0700, a random cookie, and a one-shot acceptor.
 *
 * <p>Lifecycle: the acceptor thread ({@code multiproc-pipe-acceptor-<dir>}) starts when an end is
 * handed out ({@link #ship}) or when a local end is first used; it accepts and handshakes
 * connections side by side ({@link HandshakeAcceptor}, a deadline each, so silent connections
 * cannot delay the real peer) until one client passes the handshake, then closes the server
 * socket and deletes the socket file and directory, so no third party can ever connect. If both ends stay in this JVM, the first one used connects
 * to the acceptor itself. {@link #close()} (when both local ends are closed or handed out and
 * closed) stops listening and deletes the directory.
 *
 * <p>Thread safety: all methods are thread-safe; state is guarded by {@code lock}.
 */
final class Rendezvous {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Rendezvous.class);
  }

  private final Path dir;
  private final PipeHandle[] handles = new PipeHandle[2];
  private final ServerSocketChannel server;
  private final ReentrantLock lock = new ReentrantLock();
  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
  private final CompletableFuture<FrameChannel>[] channels =
      new CompletableFuture[] {new CompletableFuture<>(), new CompletableFuture<>()};
  /* Guarded by lock. */
  private final boolean[] shipped = new boolean[2];
  private boolean localPair;
  private boolean acceptorStarted;
  private boolean serverClosed;
  private HandshakeAcceptor acceptor; // set by the acceptor thread once it runs

  private Rendezvous(Path dir, ServerSocketChannel server, PipeHandle.Mode firstMode,
      int maxFrameBytes, long spinNanos, long ringBytes, byte[] cookie) {
    this.dir = dir;
    this.server = server;
    Path socket = dir.resolve("s");
    PipeHandle.Mode secondMode = firstMode == PipeHandle.Mode.DUPLEX ? PipeHandle.Mode.DUPLEX
        : PipeHandle.Mode.SEND_ONLY;
    handles[0] = new PipeHandle(0, firstMode, maxFrameBytes, spinNanos,
        firstMode.canSend() ? ringBytes : 0, cookie, socket);
    handles[1] = new PipeHandle(1, secondMode, maxFrameBytes, spinNanos, ringBytes, cookie, socket);
  }

  static Rendezvous open(boolean duplex, int maxFrameBytes, long spinNanos, long ringBytes)
      throws IOException {
    Path dir = Files.createTempDirectory("multiproc-pipe-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ServerSocketChannel server = null;
    try {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(dir.resolve("s")), 2);
      byte[] cookie = new byte[PipeHandle.COOKIE_BYTES];
      new SecureRandom().nextBytes(cookie);
      return new Rendezvous(dir, server, duplex ? PipeHandle.Mode.DUPLEX
          : PipeHandle.Mode.RECEIVE_ONLY, maxFrameBytes, spinNanos, ringBytes, cookie);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      deleteQuietly(dir.resolve("s"));
      deleteQuietly(dir);
      throw e;
    }
  }

  PipeHandle handle(int role) {
    return handles[role];
  }

  /**
   * Hands end {@code role} out to another JVM: from now on only that JVM may attach it.
   *
   * @return the handle to give it
   * @throws IllegalStateException if both ends would leave this JVM, or the ends are already
   *     connected to each other here
   */
  PipeHandle ship(int role) {
    lock.lock();
    try {
      if (localPair) {
        throw new IllegalStateException("cannot hand pipe end " + role + " to another process:"
            + " both ends are already connected inside this JVM (hand an end over before either"
            + " end is used)");
      }
      if (shipped[1 - role]) {
        throw new IllegalStateException("cannot hand pipe end " + role + " to another process:"
            + " end " + (1 - role) + " was handed out already, and one end must stay in the JVM"
            + " that opened the pipe");
      }
      if (shipped[role]) {
        throw new IllegalStateException("pipe end " + role + " was already handed out to another"
            + " process: an end can be handed out once (serialize it into one task only)");
      }
      if (serverClosed) {
        throw new IllegalStateException("cannot hand pipe end " + role + " to another process:"
            + " the pipe is closed");
      }
      shipped[role] = true;
      startAcceptor(role);
      return handles[role];
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the channel of the local end {@code role}, connecting both ends here if the other
   * end was not handed out.
   *
   * @param timeoutNanos how long to wait for a handed-out peer to attach; negative: forever
   * @return the channel, or {@code null} if the peer did not attach in time
   */
  FrameChannel attachLocal(int role, long timeoutNanos) throws IOException {
    boolean connectHere = false;
    lock.lock();
    try {
      if (!shipped[1 - role] && !localPair) {
        if (serverClosed) {
          throw new EOFException("the other end of the pipe was closed before the ends were connected");
        }
        localPair = true;
        connectHere = true;
        startAcceptor(1 - role);
      }
    } finally {
      lock.unlock();
    }
    if (connectHere) {
      try {
        channels[1 - role].complete(Handshake.connect(handles[1 - role]));
      } catch (IOException | RuntimeException e) {
        channels[1 - role].completeExceptionally(e);
        channels[role].completeExceptionally(e);
        throw e;
      }
    }
    try {
      return timeoutNanos < 0 ? channels[role].get()
          : channels[role].get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // keep the status for the caller
      throw new InterruptedIOException("interrupted while waiting for the other end of the pipe to attach");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("attaching the pipe failed: " + e.getCause(), e.getCause());
    }
  }

  /** Accepts until the end {@code expectedRole} attaches; delivers the channel to its peer. */
  private void startAcceptor(int expectedRole) {
    if (acceptorStarted) {
      return;
    }
    acceptorStarted = true;
    Thread.ofPlatform().daemon().name("multiproc-pipe-acceptor-" + dir.getFileName())
        .start(() -> acceptLoop(expectedRole));
  }

  private void acceptLoop(int expectedRole) {
    CompletableFuture<FrameChannel> target = channels[1 - expectedRole];
    try {
      HandshakeAcceptor acceptor = new HandshakeAcceptor(server, handles[0], expectedRole,
          Handshake.ACCEPT_HELLO_TIMEOUT);
      lock.lock();
      try {
        this.acceptor = acceptor;
      } finally {
        lock.unlock();
      }
      FrameChannel fc = acceptor.acceptOne(target::isDone);
      closeServer(); // one-shot: gone before the local end can see the connection
      if (!target.complete(fc)) {
        fc.close(); // closed meanwhile
      }
    } catch (ClosedChannelException e) {
      target.completeExceptionally(new EOFException("the pipe was closed before end "
          + expectedRole + " attached"));
    } catch (IOException | RuntimeException e) {
      Log.LOG.warn("pipe acceptor for {} failed", dir, e);
      target.completeExceptionally(e);
    } finally {
      closeServer();
    }
  }

  /**
   * Gives up local end {@code role}, which never fetched its channel: returns the channel if it
   * was delivered meanwhile (the caller closes it), else makes sure it never will be, and stops
   * listening if the ends were never connected, so the peer sees end of stream either way.
   *
   * @return the delivered channel, or {@code null}
   */
  FrameChannel abandonLocalEnd(int role) {
    FrameChannel delivered = null;
    if (!channels[role].completeExceptionally(
        new EOFException("pipe end " + role + " was closed before it was connected"))) {
      delivered = channels[role].isCompletedExceptionally() ? null : channels[role].getNow(null);
    }
    boolean pair;
    lock.lock();
    try {
      pair = localPair;
    } finally {
      lock.unlock();
    }
    if (!pair) {
      closeServer();
      channels[1 - role].completeExceptionally(
          new EOFException("the other end of the pipe was closed before the ends were connected"));
    }
    return delivered;
  }

  private void closeServer() {
    HandshakeAcceptor a;
    lock.lock();
    try {
      if (serverClosed) {
        return;
      }
      serverClosed = true;
      a = acceptor;
    } finally {
      lock.unlock();
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (a != null) {
        a.wakeUp(); // it notices the closed socket at once
      }
      deleteQuietly(dir.resolve("s"));
      deleteQuietly(dir);
    }
  }

  /** Whether the end {@code role} was handed out. */
  boolean isShipped(int role) {
    lock.lock();
    try {
      return shipped[role];
    } finally {
      lock.unlock();
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      Log.LOG.warn("could not delete {}: {}", p, e.toString());
    }
  }
}
