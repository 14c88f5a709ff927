package io.github.multiproc.ipc;

import io.github.multiproc.ipc.pipe.SocketConnection;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * One end of a {@link Pipe}: sends and receives whole messages, objects or bytes, in order, to
 * and from the other end, which may live in another JVM. The counterpart of a Python
 * {@code multiprocessing.connection.Connection}.
 *
 * {@snippet :
 * try (Pipe pipe = Pipe.open()) {
 *   Connection parent = pipe.first();
 *   Connection child = pipe.second();
 *   pool.submit(() -> { child.send("hello from " + ProcessHandle.current().pid()); return null; });
 *   child.close();                      // handed out: closing the local copy is a no-op
 *   String greeting = (String) parent.recv();
 * }
 * }
 *
 * <p><b>Objects and bytes do not mix.</b> Every message carries its kind: what {@link #send}
 * sent is received by {@link #recv()}, what {@link #sendBytes} sent by {@link #recvBytes()}; the
 * other call throws {@link MessageKindException} and leaves the message for the right one.
 *
 * <p><b>Closing</b> releases this end (the rule of every channel, see
 * {@link io.github.multiproc.ipc}); the peer reads end of stream after what was sent before.
 *
 * <p><b>Handing an end to another JVM.</b> Serialize it (inside a task, like any captured
 * value), or pass {@link #handle()} on a command line and call {@link #attach(String)} there.
 * An end can be handed out once, before either end is used, and one end must stay in the JVM
 * that opened the pipe. The local object then only accepts {@link #close()}.
 *
 * <p><b>End of stream.</b> When the peer closes its end, or its process dies, {@link #recv()}
 * and {@link #recvBytes()} throw {@link EOFException} once the messages sent before are
 * consumed; {@link #poll(Duration)} then returns {@code true}. Sending to a closed peer throws
 * {@link IOException}. Using an end after {@link #close()} throws
 * {@link java.nio.channels.ClosedChannelException}.
 *
 * <p><b>Thread safety and memory visibility.</b> Sending and receiving may happen in different
 * threads at once; concurrent senders never interleave their messages, concurrent receivers get
 * distinct messages. Actions before {@code send} in the sending thread happen-before the
 * matching {@code recv} returns in the receiving thread (same JVM), and the message's bytes are
 * those of the array or object at the time of {@code send}. A thread blocked in {@code recv} is
 * woken by {@link #close()} or by an interrupt (which throws
 * {@link java.io.InterruptedIOException} and leaves the interrupt status set).
 *
 * @since 0.1
 */
public interface Connection extends Closeable {

  /**
   * Sends an object, encoded with {@link io.github.multiproc.ipc.codec.FastPathCodec} (a few
   * bytes for {@code null}, {@code byte[]}, {@code String}, {@code Integer}, {@code Long},
   * {@code Double}, {@code Boolean}; JDK serialization, checked and filtered as by
   * {@link io.github.multiproc.ipc.codec.JdkCodec}, for everything else).
   *
   * @param value the object; {@code null} is allowed
   * @throws io.github.multiproc.ipc.codec.NotSerializableValueException if it cannot be
   *     serialized; nothing was sent
   * @throws IllegalStateException if this is the receive-only end of a one-way pipe, or was
   *     handed to another JVM
   * @throws io.github.multiproc.ipc.shm.MessageTooLargeException if the encoded value is over
   *     the pipe's {@code maxMessageBytes}; nothing was sent
   * @throws IOException if the peer is gone or this end is closed
   */
  void send(Object value) throws IOException;

  /**
   * Receives the next message and decodes it as an object (sent by {@link #send}), blocking
   * until one arrives. Decoding allows the classes of the default
   * {@link io.github.multiproc.ipc.codec.AllowRule}; {@link #recv(Class)} also allows the
   * expected type's package.
   *
   * @return the object
   * @throws EOFException if the peer closed its end or died and no message is left
   * @throws MessageKindException if the next message was sent with {@link #sendBytes}: it stays
   *     first in line for {@link #recvBytes()}
   * @throws io.github.multiproc.ipc.codec.CodecException if the message is not a valid object, or
   *     names a class the rule refuses
   * @throws IOException if this end is closed or the stream fails
   */
  Object recv() throws IOException;

  /**
   * Receives an object and checks its type; decoding also allows the classes of {@code type}'s
   * package.
   *
   * @param type the expected type
   * @param <T> the expected type
   * @return the object
   * @throws io.github.multiproc.ipc.codec.CodecException if it is not a {@code type}
   * @throws IOException as {@link #recv()}
   */
  default <T> T recv(Class<T> type) throws IOException {
    Object v = recv();
    if (v != null && !type.isInstance(v)) {
      throw new io.github.multiproc.ipc.codec.CodecException("received value must be a "
          + type.getName() + ": was a " + v.getClass().getName());
    }
    return type.cast(v);
  }

  /**
   * Sends bytes as one message.
   *
   * @param bytes the message; copied out before this method returns
   * @throws IOException as {@link #send}
   */
  default void sendBytes(byte[] bytes) throws IOException {
    sendBytes(bytes, 0, bytes.length);
  }

  /**
   * Sends a slice of an array as one message.
   *
   * @param bytes the array
   * @param offset where the message starts
   * @param length the message size
   * @throws IOException as {@link #send}
   */
  void sendBytes(byte[] bytes, int offset, int length) throws IOException;

  /**
   * Receives the next message as bytes (sent by {@link #sendBytes}), blocking until one arrives.
   *
   * @return the message bytes, a new array
   * @throws EOFException if the peer closed its end or died and no message is left
   * @throws MessageKindException if the next message was sent with {@link #send}: it stays first
   *     in line for {@link #recv()}
   * @throws IOException if this end is closed or the stream fails
   */
  byte[] recvBytes() throws IOException;

  /**
   * Waits up to {@code timeout} for something to receive.
   *
   * @param timeout how long to wait; zero or negative: do not wait
   * @return {@code true} if a message, or the end of the stream, is ready (so {@code recv}
   *     will not block)
   * @throws IOException if this end is closed or the stream fails
   */
  boolean poll(Duration timeout) throws IOException;

  /**
   * Tells, without waiting, whether something is ready to receive.
   *
   * @return as {@link #poll(Duration)} with a zero timeout
   * @throws IOException as {@link #poll(Duration)}
   */
  default boolean poll() throws IOException {
    return poll(Duration.ZERO);
  }

  /**
   * Hands this end out to another JVM as text, for a command line or environment variable;
   * {@link #attach(String)} turns it back into a connection there. This end is then unusable
   * here. The text is a capability: whoever holds it may attach once.
   *
   * @return the handle
   * @throws IllegalStateException if this end is in use, was handed out from elsewhere, or
   *     the other end already left this JVM
   */
  String handle();

  /**
   * Attaches an end handed out with {@link #handle()} (in another JVM). Connects at once; if
   * the peer is gone, the first receive reports end of stream.
   *
   * @param handle the handle text
   * @return the connection
   * @throws IllegalArgumentException if the text is not a pipe handle
   */
  static Connection attach(String handle) {
    return SocketConnection.attach(handle);
  }

  /** {@return whether {@link #close()} was called on this end} */
  boolean isClosed();

  /**
   * Closes this end: the peer then reads end of stream after the messages already sent. A blocked
   * {@code recv} on this end is woken. Idempotent. On an end that was handed out, does nothing.
   *
   * @throws IOException never in practice; declared by {@link Closeable}
   */
  @Override
  void close() throws IOException;
}
