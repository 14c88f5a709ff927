package io.github.multiproc.processpool.internal.child;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The POSIX file-descriptor calls the worker needs, through the FFM API: {@code dup},
 * {@code dup2}, {@code close}, {@code pipe}, {@code open}, {@code read}, {@code write}, and on
 * Linux {@code prctl(PR_SET_PDEATHSIG)}.
 *
 * <p>Every call that can fail reports {@code errno} in its {@link IOException}'s message.
 * Thread-safe (the method handles are immutable; each call allocates its own state).
 */
final class NativeFds {

  static final int EINTR = 4;
  private static final int O_RDONLY = 0;
  private static final int PR_SET_PDEATHSIG = 1;
  private static final int F_SETPIPE_SZ = 1031;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private final MethodHandle dup;
  private final MethodHandle dup2;
  private final MethodHandle close;
  private final MethodHandle pipe;
  private final MethodHandle open;
  private final MethodHandle read;
  private final MethodHandle write;
  private final MethodHandle prctl; // null off Linux
  private final MethodHandle fcntl; // null off Linux: used for F_SETPIPE_SZ only

  private NativeFds() {
    SymbolLookup libc = LINKER.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    dup = handle(libc, "dup", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
    dup2 = handle(libc, "dup2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
    close = handle(libc, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
    pipe = handle(libc, "pipe", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), errno);
    open = handle(libc, "open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
        errno, Linker.Option.firstVariadicArg(2));
    read = handle(libc, "read", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), errno);
    write = handle(libc, "write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), errno);
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    fcntl = linux ? handle(libc, "fcntl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        errno, Linker.Option.firstVariadicArg(2)) : null;
    prctl = linux ? handle(libc, "prctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
        errno, Linker.Option.firstVariadicArg(1)) : null;
  }

  /**
   * Binds the calls, if this platform and JVM allow it.
   *
   * @return the calls, or empty on Windows or when native access is denied
   */
  static Optional<NativeFds> load() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!(os.contains("linux") || os.contains("mac") || os.contains("darwin"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new NativeFds());
    } catch (RuntimeException | LinkageError e) { // IllegalCallerException when native access is off
      return Optional.empty();
    }
  }

  private static MethodHandle handle(SymbolLookup lookup, String name, FunctionDescriptor d, Linker.Option... options) {
    MemorySegment symbol = lookup.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    return LINKER.downcallHandle(symbol, d, options);
  }

  int dup(int fd) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      return check("dup(" + fd + ")", (int) dup.invokeExact(state, fd), state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  void dup2(int from, int to) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      check("dup2(" + from + ", " + to + ")", (int) dup2.invokeExact(state, from, to), state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  void close(int fd) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      check("close(" + fd + ")", (int) close.invokeExact(state, fd), state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** @return {read end, write end} */
  int[] pipe() throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
      check("pipe()", (int) pipe.invokeExact(state, fds), state);
      return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  int openReadOnly(String path) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      MemorySegment p = a.allocateFrom(path);
      return check("open(" + path + ")", (int) open.invokeExact(state, p, O_RDONLY), state);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Asks Linux to send {@code signal} to this process when the thread that started it dies.
   *
   * @param signal such as 9 (SIGKILL)
   * @return false when not on Linux
   */
  boolean setParentDeathSignal(int signal) throws IOException {
    if (prctl == null) {
      return false;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      check("prctl(PR_SET_PDEATHSIG, " + signal + ")", (int) prctl.invokeExact(state, PR_SET_PDEATHSIG, (long) signal), state);
      return true;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Asks Linux to give the pipe behind {@code fd} a buffer of {@code bytes}
   * ({@code fcntl(F_SETPIPE_SZ)}): a 64 KiB pipe moves large frames in many wake-ups.
   *
   * @param fd either end of a pipe
   * @param bytes the wanted capacity (the kernel caps it at /proc/sys/fs/pipe-max-size)
   * @return the capacity granted, or -1 when not on Linux or refused
   */
  int setPipeSize(int fd, int bytes) {
    if (fcntl == null) {
      return -1;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(ERRNO_STATE);
      return (int) fcntl.invokeExact(state, fd, F_SETPIPE_SZ, bytes);
    } catch (Throwable t) {
      return -1;
    }
  }

  /** @return bytes read, 0 at EOF; retries on EINTR */
  long read(int fd, MemorySegment buf, long len, MemorySegment state) throws IOException {
    while (true) {
      long n;
      try {
        n = (long) read.invokeExact(state, fd, buf, len);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (n >= 0) {
        return n;
      }
      int err = (int) ERRNO.get(state, 0L);
      if (err != EINTR) {
        throw new IOException("read(" + fd + ") failed: errno=" + err);
      }
    }
  }

  /** Writes everything; retries on EINTR and short writes. */
  void writeFully(int fd, MemorySegment buf, long len, MemorySegment state) throws IOException {
    long off = 0;
    while (off < len) {
      long n;
      try {
        n = (long) write.invokeExact(state, fd, buf.asSlice(off), len - off);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (n >= 0) {
        off += n;
      } else {
        int err = (int) ERRNO.get(state, 0L);
        if (err != EINTR) {
          throw new IOException("write(" + fd + ") failed: errno=" + err);
        }
      }
    }
  }

  static MemorySegment allocateState(Arena arena) {
    return arena.allocate(ERRNO_STATE);
  }

  private static int check(String call, int result, MemorySegment state) throws IOException {
    if (result < 0) {
      throw new IOException(call + " failed: errno=" + (int) ERRNO.get(state, 0L));
    }
    return result;
  }
}
