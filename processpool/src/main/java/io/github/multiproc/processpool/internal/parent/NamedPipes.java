package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
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
 * {@code mkfifo} command when native access is not available. The downcall handle is bound once
 * per JVM, on first use (about 0.1 s of CPU, paid by the long-lived parent, never by a worker).
 *
 * <p>Thread-safe: the handle is immutable once bound (class-holder idiom).
 */
public final class NamedPipes {

  private static final int MODE_0600 = 0x180;

  private NamedPipes() {}

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

    private static MethodHandle bind() {
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
