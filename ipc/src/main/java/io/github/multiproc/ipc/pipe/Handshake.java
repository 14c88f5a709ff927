package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.CorruptedFrameException;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.Hello;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * The attach handshake of a pipe (see {@code docs/protocol.md} §3): the connecting end sends a
 * HELLO carrying the cookie and its role, the accepting end checks them and answers with its own
 * HELLO. Stateless.
 */
final class Handshake {

  /** How long the acceptor waits for each connected client's HELLO before dropping it. */
  static final Duration ACCEPT_HELLO_TIMEOUT = Duration.ofSeconds(5);
  /** How long a connecting end waits for the acceptor's answer. */
  static final Duration CONNECT_REPLY_TIMEOUT = Duration.ofSeconds(30);

  private Handshake() {}

  /**
   * Connects an end to its peer's acceptor.
   *
   * @return the connected channel, handshake done
   * @throws EOFException if nobody listens: the peer end was closed, already attached, or its
   *     JVM exited
   */
  static FrameChannel connect(PipeHandle h) throws IOException {
    SocketChannel sc = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      sc.connect(UnixDomainSocketAddress.of(h.socket()));
    } catch (ConnectException | NoSuchFileException e) {
      sc.close();
      throw peerGone(h, e);
    } catch (SocketException e) {
      sc.close();
      throw peerGone(h, e);
    } catch (IOException | RuntimeException e) {
      sc.close();
      throw e;
    }
    FrameChannel fc = new FrameChannel(sc, h.maxFrameBytes(), h.spinNanos());
    try {
      byte[] ext = Arrays.copyOf(h.cookie(), PipeHandle.COOKIE_BYTES + 1);
      ext[PipeHandle.COOKIE_BYTES] = (byte) h.role();
      byte[] hello = Hello.current(ext).encode();
      fc.send(PipeFrameType.HELLO, 0, hello, 0, hello.length);
      Frame reply;
      try {
        reply = fc.receive(CONNECT_REPLY_TIMEOUT.toNanos());
      } catch (EOFException e) {
        throw peerGone(h, e);
      }
      if (reply == null) {
        throw new IOException("the pipe's creator accepted the connection but did not answer"
            + " within " + CONNECT_REPLY_TIMEOUT.toSeconds() + " s (is that JVM stuck?): " + h.socket());
      }
      Hello.fromFrame(reply).negotiate(Hello.current());
      fc.trustPeer();
      return fc;
    } catch (IOException | RuntimeException e) {
      fc.close();
      throw e;
    }
  }

  private static EOFException peerGone(PipeHandle h, Exception cause) {
    EOFException e = new EOFException("the peer of pipe end " + h.role() + " is gone: nobody"
        + " accepts at " + h.socket() + " (the other end was closed, this end was already"
        + " attached once, or the creating JVM exited): " + cause.getMessage());
    e.initCause(cause);
    return e;
  }

  /**
   * Checks a connected client's HELLO on the accepting side (see {@link HandshakeAcceptor}, which
   * reads it with a deadline of its own for each connection).
   *
   * @param f the client's first frame
   * @param h the handle of the pipe
   * @param expectedRole the role of the end that is expected to connect
   * @throws IOException if the client is not that end (wrong cookie, role, or protocol); the
   *     caller closes the connection without answering
   */
  static void check(Frame f, PipeHandle h, int expectedRole) throws IOException {
    Hello hello = Hello.fromFrame(f);
    hello.negotiate(Hello.current());
    byte[] ext = hello.extension();
    if (ext.length != PipeHandle.COOKIE_BYTES + 1) {
      throw new CorruptedFrameException("pipe HELLO extension must be " + (PipeHandle.COOKIE_BYTES + 1)
          + " bytes (cookie + role): length=" + ext.length + ", client pid " + hello.pid());
    }
    if (!MessageDigest.isEqual(Arrays.copyOf(ext, PipeHandle.COOKIE_BYTES), h.cookie())) {
      throw new IOException("wrong cookie from client pid " + hello.pid());
    }
    if (ext[PipeHandle.COOKIE_BYTES] != expectedRole) {
      throw new IOException("pipe end " + ext[PipeHandle.COOKIE_BYTES]
          + " tried to attach, but end " + expectedRole + " is the one handed out (client pid "
          + hello.pid() + ")");
    }
  }

  /**
   * Answers a client whose HELLO passed {@link #check}: the creator's own HELLO.
   *
   * @param fc the client's channel
   * @throws IOException if the client is gone
   */
  static void answer(FrameChannel fc) throws IOException {
    byte[] reply = Hello.current().encode();
    fc.send(PipeFrameType.HELLO, 0, reply, 0, reply.length);
    fc.trustPeer();
  }
}
