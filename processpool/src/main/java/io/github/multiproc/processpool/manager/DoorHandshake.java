package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.frame.CorruptedFrameException;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Hello;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The door's handshake, both sides (bytes in {@code docs/protocol.md} §5): the client sends
 * HELLO (versions {@value #VERSION}..{@value #VERSION}) whose extension is the manager's 32-byte
 * secret; the manager checks it in constant time and answers HELLO whose extension is the UTF-8
 * handle of a new {@link io.github.multiproc.ipc.Pipe} end, or closes without a word. The client
 * attaches that end, which the pipe's own handshake admits once. Stateless.
 */
final class DoorHandshake {

  /** The door dialect's only version. */
  static final int VERSION = 1;
  /** The largest door frame: a HELLO with a pipe handle. */
  static final int MAX_FRAME_BYTES = 4096;
  /** How long a client waits for the manager's answer before it gives up. */
  static final long ANSWER_TIMEOUT_SECONDS = 30;

  private DoorHandshake() {}

  /** {@return this process's HELLO with an extension} */
  static Hello hello(byte[] extension) {
    return new Hello(VERSION, VERSION, ProcessHandle.current().pid(), System.getProperty("java.version"), extension);
  }

  /**
   * Knocks on a manager's door: returns the handle of a pipe end reserved for this client.
   *
   * @param address the manager
   * @return the pipe handle to attach
   * @throws EOFException if nobody listens there any more, or the manager closed without answering
   * @throws IOException if the exchange fails
   */
  static String knock(ManagerAddress address) throws IOException {
    try (SocketChannel sc = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        sc.connect(UnixDomainSocketAddress.of(address.door()));
      } catch (ConnectException | NoSuchFileException e) {
        throw gone(address, e);
      } catch (SocketException e) {
        throw gone(address, e);
      }
      // a manager that is stopped (SIGSTOP) must not hold the caller forever
      CompletableFuture<Void> answered = new CompletableFuture<>();
      answered.orTimeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(t -> {
        closeQuietly(sc);
        return null;
      });
      try {
        OutputStream out = Channels.newOutputStream(sc);
        InputStream in = Channels.newInputStream(sc);
        FrameWriter writer = new FrameWriter(out, MAX_FRAME_BYTES);
        writer.write(hello(address.secret()).toFrame(DoorFrameType.HELLO));
        writer.flush();
        Frame reply = new FrameReader(in, MAX_FRAME_BYTES, DoorFrameType.DIALECT).read();
        if (reply == null) {
          throw new EOFException(address.describe() + " closed its door without answering (it is"
              + " shutting down, or refused the secret)");
        }
        if (reply.type() == DoorFrameType.ERROR) {
          throw new IOException(address.describe() + " refused the connection: "
              + new String(reply.payload(), StandardCharsets.UTF_8));
        }
        Hello answer = Hello.fromFrame(reply);
        hello(new byte[0]).negotiate(answer);
        return new String(answer.extension(), StandardCharsets.UTF_8);
      } catch (java.nio.channels.AsynchronousCloseException e) {
        throw new IOException(address.describe() + " accepted the connection but did not answer within "
            + ANSWER_TIMEOUT_SECONDS + " s (is its process stopped?)", e);
      } finally {
        answered.complete(null);
      }
    }
  }

  /**
   * Checks a client's HELLO at the manager.
   *
   * @param first the client's first frame
   * @param secret the manager's secret
   * @return the client's HELLO
   * @throws IOException if it is not a HELLO of a compatible version carrying the secret
   */
  static Hello check(Frame first, byte[] secret) throws IOException {
    Hello hello = Hello.fromFrame(first);
    hello(new byte[0]).negotiate(hello);
    byte[] ext = hello.extension();
    if (ext.length != ManagerAddress.SECRET_BYTES) {
      throw new CorruptedFrameException("manager door HELLO extension must be " + ManagerAddress.SECRET_BYTES
          + " bytes (the secret): length=" + ext.length + ", client pid " + hello.pid());
    }
    if (!MessageDigest.isEqual(ext, secret)) {
      throw new IOException("wrong secret from client pid " + hello.pid());
    }
    return hello;
  }

  private static EOFException gone(ManagerAddress address, Exception cause) {
    EOFException e = new EOFException("nobody listens at " + address.door() + " (" + cause.getMessage() + ")");
    e.initCause(cause);
    return e;
  }

  private static void closeQuietly(SocketChannel sc) {
    try {
      sc.close();
    } catch (IOException e) {
      // closing to end a wait; nothing else to do
    }
  }
}
