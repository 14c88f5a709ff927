package io.github.multiproc.processpool.internal.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Blocking streams over raw file descriptors, for the protocol pipe the worker took off fd 0/1.
 *
 * <p>Each stream owns a native buffer in a shared arena freed on {@code close}. A stream must be
 * used by one thread at a time (the frame writer serializes writers; one thread reads).
 */
final class FdStreams {

  private static final int BUFFER = 1 << 16;

  private FdStreams() {}

  static InputStream input(NativeFds fds, int fd) {
    return new InputStream() {
      private final Arena arena = Arena.ofShared();
      private final MemorySegment buf = arena.allocate(BUFFER);
      private final MemorySegment state = NativeFds.allocateState(arena);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        long n = fds.read(fd, buf, Math.min(len, BUFFER), state);
        if (n == 0) {
          return -1;
        }
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
        return (int) n;
      }
    };
  }

  static OutputStream output(NativeFds fds, int fd) {
    return new OutputStream() {
      private final Arena arena = Arena.ofShared();
      private final MemorySegment buf = arena.allocate(BUFFER);
      private final MemorySegment state = NativeFds.allocateState(arena);

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          int n = Math.min(len, BUFFER);
          MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, n);
          fds.writeFully(fd, buf, n, state);
          off += n;
          len -= n;
        }
      }
    };
  }
}
