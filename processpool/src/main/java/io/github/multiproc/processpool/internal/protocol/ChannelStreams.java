package io.github.multiproc.processpool.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Blocking streams over one connected {@link SocketChannel}, for the worker protocol.
 *
 * <p>Unlike {@link java.nio.channels.Channels#newInputStream}, whose streams serialize on the
 * channel's blocking lock (a writer would wait for a reader blocked in {@code read}), these call
 * the channel directly, so one thread may block reading while another writes. Closing the output
 * stream half-closes the socket ({@code shutdownOutput}): the peer reads a clean end of stream
 * after the last frame while this side can still read its answers. Closing the input stream
 * half-closes the other direction.
 *
 * <p>Each stream is for one thread at a time (the frame reader and writer serialize their
 * callers).
 */
public final class ChannelStreams {

  private ChannelStreams() {}

  /**
   * @param channel a connected channel in blocking mode
   * @return a stream that reads from it; -1 at the peer's end of stream
   */
  public static InputStream input(SocketChannel channel) {
    Objects.requireNonNull(channel, "channel");
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return 0;
        }
        return channel.read(ByteBuffer.wrap(b, off, len));
      }

      @Override
      public void close() throws IOException {
        try {
          channel.shutdownInput();
        } catch (ClosedChannelException e) {
          // already closed: nothing left to shut
        }
      }
    };
  }

  /**
   * @param channel a connected channel in blocking mode
   * @return a stream that writes to it, each call writing every byte before it returns
   */
  public static OutputStream output(SocketChannel channel) {
    Objects.requireNonNull(channel, "channel");
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }

      @Override
      public void close() throws IOException {
        try {
          channel.shutdownOutput();
        } catch (ClosedChannelException e) {
          // already closed: the peer has seen the end
        }
      }
    };
  }
}
