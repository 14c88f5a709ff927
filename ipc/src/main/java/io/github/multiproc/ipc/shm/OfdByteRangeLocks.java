package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link ByteRangeLocks} with Linux open-file-description locks ({@code fcntl(F_OFD_SETLK)},
 * Linux 3.15+), called through the FFM API on a file descriptor this object opens itself. Unlike
 * classic POSIX record locks, OFD locks belong to the open file description: two descriptors in
 * one process conflict, closing one does not drop the other's locks, and the kernel drops them
 * all when the process dies.
 *
 * <pre>
 * struct flock (LP64):  0 l_type (int16) | 2 l_whence (int16) | 8 l_start (int64)
 *                      | 16 l_len (int64) | 24 l_pid (int32, 0 for OFD) | 32
 * </pre>
 */
final class OfdByteRangeLocks implements ByteRangeLocks {

  private static final int O_RDWR = 2;
  private static final int F_OFD_SETLK = 37;
  private static final short F_WRLCK = 1;
  private static final short F_UNLCK = 2;
  private static final int EAGAIN = 11;
  private static final int EACCES = 13;
  /** Locks live far past the end of the file so they never cover its contents. */
  static final long BASE = 1L << 40;

  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Optional<Natives> NATIVES = Natives.load();

  private final int fd;
  // one struct flock and one errno capture for every call, made once: calls are synchronized
  private final Arena arena = Arena.ofShared();
  private final MemorySegment flock = arena.allocate(32, 8);
  private final MemorySegment errno = arena.allocate(CAPTURE);
  private boolean closed;

  private OfdByteRangeLocks(int fd) {
    this.fd = fd;
  }

  static boolean isSupported() {
    return NATIVES.isPresent();
  }

  static OfdByteRangeLocks open(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int fd = (int) NATIVES.orElseThrow().open.invokeExact(errno, arena.allocateFrom(file.toString()), O_RDWR);
      if (fd < 0) {
        throw new IOException("open(" + file + ") failed: errno=" + (int) ERRNO.get(errno, 0L));
      }
      return new OfdByteRangeLocks(fd);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public synchronized boolean tryLock(long index) {
    checkOpen();
    int errno = fcntl(F_WRLCK, index);
    if (errno == 0) {
      return true;
    }
    if (errno == EAGAIN || errno == EACCES) {
      return false;
    }
    throw new IllegalStateException("fcntl(F_OFD_SETLK) failed: errno=" + errno);
  }

  @Override
  public synchronized void unlock(long index) {
    checkOpen();
    int errno = fcntl(F_UNLCK, index);
    if (errno != 0) {
      throw new IllegalStateException("fcntl(F_OFD_SETLK, F_UNLCK) failed: errno=" + errno);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("lock file is closed");
    }
  }

  /** Returns 0 on success, else errno. Called with this object's monitor held. */
  private int fcntl(short type, long index) {
    try {
      flock.set(ValueLayout.JAVA_SHORT, 0, type);
      flock.set(ValueLayout.JAVA_SHORT, 2, (short) 0); // SEEK_SET
      flock.set(ValueLayout.JAVA_LONG, 8, BASE + index);
      flock.set(ValueLayout.JAVA_LONG, 16, 1);
      int result = (int) NATIVES.orElseThrow().fcntl.invokeExact(errno, fd, F_OFD_SETLK, flock);
      return result == 0 ? 0 : (int) ERRNO.get(errno, 0L);
    } catch (Throwable t) {
      throw new IllegalStateException("fcntl failed", t);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        int ignored = (int) NATIVES.orElseThrow().close.invokeExact(fd);
      } catch (Throwable t) {
        throw new IllegalStateException("close failed", t);
      } finally {
        arena.close();
      }
    }
  }

  private record Natives(MethodHandle open, MethodHandle fcntl, MethodHandle close) {
    static Optional<Natives> load() {
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
        return Optional.empty();
      }
      Linker linker = Linker.nativeLinker();
      Linker.Option errno = Linker.Option.captureCallState("errno");
      var lookup = linker.defaultLookup();
      MethodHandle open = linker.downcallHandle(lookup.find("open").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno,
          Linker.Option.firstVariadicArg(2));
      MethodHandle fcntl = linker.downcallHandle(lookup.find("fcntl").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
          errno, Linker.Option.firstVariadicArg(2));
      MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      return Optional.of(new Natives(open, fcntl, close));
    }
  }
}
