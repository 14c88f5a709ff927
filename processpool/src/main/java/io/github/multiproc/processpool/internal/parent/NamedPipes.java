package io.github.multiproc.processpool.internal.parent;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Creates POSIX named pipes (FIFOs): {@code mkfifo(path, 0600)} through the FFM API, or the
 * {@code mkfifo} command when native access is not enabled; and holds them open with a chosen
 * capacity ({@link #hold}). The downcall handles are bound once
 * per JVM, on first use (about 0.1 s of CPU, paid by the long-lived parent, never by a worker).
 *
 * <p>FFM is used only when this code's module has native access enabled
 * ({@code --enable-native-access=ALL-UNNAMED}, or the module's name on the module path): calling a
 * restricted method without it makes the JDK print a warning, which a library must never cause
 * by default. Without it FIFOs are made by the {@code mkfifo} command and keep the kernel's default
 * capacity (64 KiB on Linux), so large chunks cost more wake-ups; see {@link #nativeAccess()}.
 *
 * <p>Thread-safe: the handle is immutable once bound (class-holder idiom).
 */
public final class NamedPipes {

  private static final int MODE_0600 = 0x180;
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 0x80000; // Linux
  private static final int F_SETPIPE_SZ = 1031; // Linux

  private NamedPipes() {}

  /**
   * Tells whether FIFOs are made and sized through FFM (native access enabled for this module),
   * rather than by the {@code mkfifo} command with the default capacity.
   *
   * @return whether native access is enabled
   */
  public static boolean nativeAccess() {
    return NamedPipes.class.getModule().isNativeAccessEnabled();
  }

  /**
   * Creates a FIFO of mode {@code 0600}.
   *
   * @param path where; must not exist
   * @throws IOException if it cannot be created, with the reason
   */
  public static void create(Path path) throws IOException {
    MethodHandle mkfifo = Native.MKFIFO;
    if (mkfifo == null) {
      createWithCommand(path);
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int result = (int) mkfifo.invokeExact(state, arena.allocateFrom(path.toString()), MODE_0600);
      if (result != 0) {
        throw new IOException("mkfifo(" + path + ", 0600) failed: errno=" + (int) Native.ERRNO.get(state, 0L));
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("mkfifo downcall failed", t);
    }
  }

  /**
   * Opens a FIFO read-write, which never blocks, so that it stays open (and its peers' opens
   * never block) until the returned handle is closed; on Linux also sets the pipe's capacity
   * ({@code F_SETPIPE_SZ}; the default 64 KiB makes a sender of large frames block and wake its
   * peer far more often). The capacity is best effort: a refusal (over
   * {@code /proc/sys/fs/pipe-max-size}) keeps the default.
   *
   * @param fifo the FIFO
   * @param capacity the capacity in bytes
   * @return the handle; closing it drops this process's hold
   * @throws IOException if the FIFO cannot be opened
   */
  public static Closeable hold(Path fifo, int capacity) throws IOException {
    if (Native.OPEN != null) {
      try (Arena arena = Arena.ofConfined()) {
        int fd = (int) Native.OPEN.invokeExact(arena.allocateFrom(fifo.toString()), O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
          int ignored = (int) Native.FCNTL.invokeExact(fd, F_SETPIPE_SZ, capacity);
          return () -> closeFd(fd);
        }
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("open/fcntl downcall failed", t);
      }
    }
    return new RandomAccessFile(fifo.toFile(), "rw"); // elsewhere, or if the native open failed: no capacity
  }

  private static void closeFd(int fd) throws IOException {
    try {
      if ((int) Native.CLOSE.invokeExact(fd) != 0) {
        throw new IOException("close(" + fd + ") failed");
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("close downcall failed", t);
    }
  }

  private static void createWithCommand(Path path) throws IOException {
    Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mkfifo " + path + " did not finish within 10 s");
      }
      String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        throw new IOException("mkfifo " + path + " failed: exit " + p.exitValue() + ": " + said);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while creating FIFO " + path);
    }
  }

  /** The downcall, bound on first use; null when native access is denied (then the command is used). */
  private static final class Native {
    static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle MKFIFO = bind();
    /* open, fcntl, close: Linux only (the flags and F_SETPIPE_SZ are Linux's); null elsewhere. */
    static final MethodHandle OPEN = linux("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2)); // variadic; no mode without O_CREAT
    static final MethodHandle FCNTL = linux("fcntl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));
    static final MethodHandle CLOSE = linux("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static MethodHandle linux(String name, FunctionDescriptor descriptor, Linker.Option... options) {
      if (MKFIFO == null || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        return null;
      }
      try {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find(name).map(symbol -> linker.downcallHandle(symbol, descriptor, options))
            .orElse(null);
      } catch (RuntimeException | LinkageError e) {
        return null;
      }
    }

    private static MethodHandle bind() {
      if (!nativeAccess()) {
        return null; // a restricted call would print the JDK's native-access warning: use the command
      }
      try {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("mkfifo")
            .map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno")))
            .orElse(null);
      } catch (RuntimeException | LinkageError e) { // IllegalCallerException when native access is denied
        return null;
      }
    }
  }
}
