package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameDecoder;
import io.github.multiproc.ipc.frame.FrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The creator's side of a pipe's attach: accepts connections on the pipe's socket and runs their
 * handshakes side by side, on one thread with one {@link Selector}, until one client proves it
 * holds the cookie. A connection that does not speak cannot hold the attach hostage: each one has
 * its own deadline to send its HELLO ({@link Handshake#ACCEPT_HELLO_TIMEOUT}), the others are
 * read meanwhile, and at most {@link #MAX_PENDING} wait at once (a newcomer evicts the oldest).
 * A pending connection costs a 512-byte buffer, not a {@link FrameChannel}'s megabytes.
 *
 * {@snippet :
 * FrameChannel peer = new HandshakeAcceptor(server, handle, expectedRole, timeout).acceptOne(done);
 * }
 *
 * <p>Thread safety: used by one thread (the pipe's acceptor); {@link #wakeUp()} may be called
 * from any thread, after the server socket was closed, to make it notice at once.
 */
final class HandshakeAcceptor {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(HandshakeAcceptor.class);
  }

  /** How many connections may be in their handshake at once. */
  static final int MAX_PENDING = 32;
  /** The largest HELLO frame a client may send: the fixed fields, the extension, a Java version. */
  private static final int MAX_HELLO_FRAME_BYTES = 512;
  /** The longest a select waits, so that a closed server socket is noticed without a wake-up. */
  private static final long MAX_SELECT_MILLIS = 100;

  private final ServerSocketChannel server;
  private final PipeHandle handle;
  private final int expectedRole;
  private final long helloTimeoutNanos;
  private final Selector selector;
  private final ArrayDeque<SelectionKey> pending = new ArrayDeque<>();

  /** One connection in its handshake: what it sent so far, and until when it may take. */
  private static final class Pending {
    final ByteBuffer in = ByteBuffer.allocate(MAX_HELLO_FRAME_BYTES);
    final FrameDecoder decoder = new FrameDecoder(MAX_HELLO_FRAME_BYTES, MAX_HELLO_FRAME_BYTES, PipeFrameType.DIALECT);
    final long deadline;

    Pending(long deadline) {
      this.deadline = deadline;
    }
  }

  HandshakeAcceptor(ServerSocketChannel server, PipeHandle handle, int expectedRole, Duration helloTimeout)
      throws IOException {
    this.server = server;
    this.handle = handle;
    this.expectedRole = expectedRole;
    this.helloTimeoutNanos = helloTimeout.toNanos();
    this.selector = Selector.open();
    try {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
  }

  /** Wakes the accepting thread, for instance after the server socket was closed. */
  void wakeUp() {
    selector.wakeup();
  }

  /**
   * Accepts and handshakes until one client proves it holds the cookie; every other connection
   * is closed without an answer (and logged).
   *
   * @param giveUp tells whether to stop (the pipe was closed or the end abandoned)
   * @return the authenticated channel, handshake done
   * @throws ClosedChannelException if the server socket was closed, or {@code giveUp} said so,
   *     before a client attached
   */
  FrameChannel acceptOne(BooleanSupplier giveUp) throws IOException {
    try {
      while (true) {
        if (giveUp.getAsBoolean() || !server.isOpen()) {
          throw new ClosedChannelException();
        }
        selector.select(selectMillis());
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.isReadable()) {
            FrameChannel winner = read(key);
            if (winner != null) {
              return winner;
            }
          }
        }
        expire();
      }
    } catch (ClosedSelectorException e) {
      throw new ClosedChannelException();
    } finally {
      for (SelectionKey k : pending) {
        drop(k, null);
      }
      pending.clear();
      selector.close();
    }
  }

  private long selectMillis() {
    long next = Long.MAX_VALUE;
    long now = System.nanoTime();
    for (SelectionKey k : pending) {
      next = Math.min(next, ((Pending) k.attachment()).deadline - now);
    }
    return Math.max(1, Math.min(MAX_SELECT_MILLIS, next == Long.MAX_VALUE ? MAX_SELECT_MILLIS : next / 1_000_000 + 1));
  }

  private void accept() throws IOException {
    SocketChannel sc;
    while ((sc = server.accept()) != null) {
      if (pending.size() >= MAX_PENDING) {
        drop(pending.poll(), "evicted: " + MAX_PENDING + " newer connections are in their handshake");
      }
      try {
        sc.configureBlocking(false);
        pending.add(sc.register(selector, SelectionKey.OP_READ, new Pending(System.nanoTime() + helloTimeoutNanos)));
      } catch (IOException | RuntimeException e) {
        sc.close();
        Log.LOG.warn("refused a connection to pipe {}: {}", handle.socket(), e.toString());
      }
    }
  }

  /** Reads what a pending client sent; returns its channel if its HELLO proves it is the peer. */
  private FrameChannel read(SelectionKey key) throws IOException {
    Pending p = (Pending) key.attachment();
    SocketChannel sc = (SocketChannel) key.channel();
    Frame hello;
    try {
      int n = sc.read(p.in);
      if (n < 0) {
        drop(key, "closed before sending its HELLO");
        return null;
      }
      p.in.flip();
      hello = p.decoder.decodeNext(p.in);
      p.in.compact();
      if (hello == null) {
        return null;
      }
    } catch (FrameException e) {
      drop(key, "sent a malformed HELLO: " + e.getMessage());
      return null;
    } catch (IOException e) {
      drop(key, e.toString());
      return null;
    }
    pending.remove(key);
    key.cancel();
    try {
      selector.selectNow(); // deregisters the cancelled key before the channel gets selectors of its own
      Handshake.check(hello, handle, expectedRole);
    } catch (IOException e) {
      Log.LOG.warn("refused a connection to pipe {}: {}", handle.socket(), e.getMessage());
      sc.close();
      return null;
    }
    FrameChannel fc = new FrameChannel(sc, handle.maxFrameBytes(), handle.spinNanos());
    try {
      Handshake.answer(fc);
      return fc;
    } catch (IOException | RuntimeException e) {
      fc.close();
      Log.LOG.warn("pipe {}: the client left during the handshake: {}", handle.socket(), e.toString());
      return null;
    }
  }

  private void expire() {
    long now = System.nanoTime();
    while (!pending.isEmpty() && now - ((Pending) pending.peek().attachment()).deadline >= 0) {
      drop(pending.poll(), "sent no HELLO within " + Duration.ofNanos(helloTimeoutNanos).toMillis() + " ms");
    }
  }

  private void drop(SelectionKey key, String why) {
    pending.remove(key);
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException e) {
      // closing a socket nobody will use: nothing to do about a failure
    }
    if (why != null) {
      Log.LOG.warn("dropped a connection to pipe {}: {}", handle.socket(), why);
    }
  }
}
