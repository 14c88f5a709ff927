package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.protocol.ChannelStreams;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's end of one worker's protocol channel: a Unix domain socket in a fresh directory of
 * mode 0700, which accepts exactly one connection, the worker's, proven by a random cookie.
 *
 * <pre>
 *  worker                                   parent
 *    connect(&lt;dir&gt;/s)  ───────────────▶  accept
 *    cookie (16 bytes)  ───────────────▶  compare (constant time); wrong: close it, accept again
 *                                          right: stop listening, delete &lt;dir&gt;/s and &lt;dir&gt;
 *    HELLO frame, then the protocol in both directions
 * </pre>
 *
 * <p>The directory's mode keeps other users out; the cookie (passed on the worker's command line)
 * keeps out any other process of this user that finds the socket; once the worker is in, the socket
 * file is gone, so nobody else can connect. A connection that never sends its cookie holds the
 * acceptor until the pool's start deadline kills the worker and {@link #stopListening()} runs.
 *
 * <p>The worker's stdin and stdout are then ordinary pipes: nothing the JVM or the user's code
 * prints, before {@code main} or natively, can reach the protocol.
 *
 * <p>Thread safety: {@link #input()} is read by one thread (which accepts on its first read),
 * {@link #output()} written by one other thread (which waits for the connection); the lifecycle
 * methods may be called from any thread.
 */
public final class WorkerSocket implements Closeable {

  /** The length of the cookie a worker sends first. */
  public static final int COOKIE_BYTES = 16;

  /* Unix domain socket paths are limited to about 104-108 bytes, depending on the OS. */
  private static final int MAX_SOCKET_PATH = 100;
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSocket.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Path path;
  private final byte[] cookie;
  private final ServerSocketChannel server;
  private final CompletableFuture<SocketChannel> connected = new CompletableFuture<>();
  private final AtomicBoolean listening = new AtomicBoolean(true);

  private WorkerSocket(Path dir, ServerSocketChannel server, byte[] cookie) {
    this.dir = dir;
    this.path = dir.resolve("s");
    this.server = server;
    this.cookie = cookie;
  }

  /**
   * Creates the directory and starts listening.
   *
   * @return the socket, not yet connected
   * @throws IOException if the directory or the socket cannot be created
   */
  public static WorkerSocket open() throws IOException {
    Path dir = createPrivateDirectory();
    ServerSocketChannel server = null;
    try {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(dir.resolve("s")), 1);
      byte[] cookie = new byte[COOKIE_BYTES];
      RANDOM.nextBytes(cookie);
      return new WorkerSocket(dir, server, cookie);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      Files.deleteIfExists(dir.resolve("s"));
      Files.deleteIfExists(dir);
      throw e;
    }
  }

  private static Path createPrivateDirectory() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    if (base.toAbsolutePath().toString().length() + 40 > MAX_SOCKET_PATH && Files.isDirectory(Path.of("/tmp"))) {
      base = Path.of("/tmp"); // a long tmpdir (macOS) would not fit in a socket address
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempDirectory(base, "multiproc-w-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempDirectory(base, "multiproc-w-"); // Windows: the user's temp directory is private
  }

  /** @return the socket file the worker connects to */
  public Path path() {
    return path;
  }

  /** @return the cookie in hex, for the worker's command line */
  public String cookieHex() {
    return HexFormat.of().formatHex(cookie);
  }

  /**
   * Returns the protocol stream from the worker. Its first read accepts the worker's connection
   * (blocking until the worker connects); it reads -1 if the socket is closed before.
   *
   * @return the stream
   */
  public InputStream input() {
    return new InputStream() {
      private InputStream in;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (in == null) {
          SocketChannel ch = accept();
          if (ch == null) {
            return -1;
          }
          in = ChannelStreams.input(ch);
        }
        return in.read(b, off, len);
      }
    };
  }

  /**
   * Returns the protocol stream to the worker. Its first write waits until the worker has
   * connected; closing it half-closes the socket, so the worker reads a clean end of stream.
   *
   * @return the stream
   */
  public OutputStream output() {
    return new OutputStream() {
      private OutputStream out;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        connect().write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (connected.isDone() && !connected.isCompletedExceptionally()) {
          connect().close();
        }
      }

      private OutputStream connect() throws IOException {
        if (out == null) {
          try {
            out = ChannelStreams.output(connected.get());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the worker to connect");
          } catch (ExecutionException e) {
            throw new EOFException("the worker never connected: " + e.getCause().getMessage());
          }
        }
        return out;
      }
    };
  }

  /** @return the worker's channel, or null if the socket was closed before it connected */
  private SocketChannel accept() throws IOException {
    while (true) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        connected.completeExceptionally(new EOFException("the socket was closed before the worker connected"));
        return null;
      }
      if (hasCookie(ch)) {
        stopListening();
        if (!connected.complete(ch)) {
          ch.close(); // closed meanwhile
          return null;
        }
        return ch;
      }
      LOG.warn("refused a connection to worker socket {}: it did not send the worker's cookie", path);
      ch.close();
    }
  }

  private boolean hasCookie(SocketChannel ch) throws IOException {
    ByteBuffer got = ByteBuffer.allocate(COOKIE_BYTES);
    while (got.hasRemaining()) {
      if (ch.read(got) < 0) {
        return false;
      }
    }
    return MessageDigest.isEqual(got.array(), cookie);
  }

  /**
   * Stops accepting and deletes the socket file and its directory; a worker that has not
   * connected yet never will. Idempotent.
   */
  public void stopListening() {
    if (!listening.compareAndSet(true, false)) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing worker socket {}: {}", path, e.toString());
    }
    try {
      Files.deleteIfExists(path);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("could not delete worker socket {}: {}", path, e.toString());
    }
  }

  /** Stops listening and closes the worker's channel, if it connected. Idempotent. */
  @Override
  public void close() {
    stopListening();
    if (!connected.completeExceptionally(new EOFException("the socket was closed before the worker connected"))
        && !connected.isCompletedExceptionally()) {
      SocketChannel ch = connected.join();
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing worker socket {}: {}", path, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "WorkerSocket[" + path + "]";
  }
}
