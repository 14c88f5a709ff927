package io.github.multiproc.processpool.internal.child;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Linux's {@code prctl(PR_SET_PDEATHSIG, signal)} through the FFM API: the kernel sends the
 * worker {@code signal} when the parent thread that started it dies.
 *
 * <p>A safety net only: the worker already exits when its protocol socket ends (the kernel closes
 * the parent's end when the parent dies, even by {@code SIGKILL}) and when its parent's
 * {@link ProcessHandle} exits. Binding a downcall handle costs about 0.1 s of CPU in a fresh JVM,
 * so {@link WorkerMain} calls this on a background thread after its handshake, never on the path
 * to its first frame.
 *
 * <p>Thread-safe (stateless).
 */
final class ParentDeathSignal {

  private static final int PR_SET_PDEATHSIG = 1;

  private ParentDeathSignal() {}

  /**
   * Asks for {@code signal} on parent death.
   *
   * @param signal such as 9 (SIGKILL); 0 clears the request
   * @return false when not on Linux or native access is denied
   * @throws IOException if {@code prctl} fails, with its errno
   */
  static boolean request(int signal) throws IOException {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return false;
    }
    MethodHandle prctl;
    MemoryLayout stateLayout = Linker.Option.captureStateLayout();
    try {
      Linker linker = Linker.nativeLinker();
      MemorySegment symbol = linker.defaultLookup().find("prctl")
          .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol prctl"));
      prctl = linker.downcallHandle(symbol,
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
          Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    } catch (RuntimeException | LinkageError e) { // IllegalCallerException when native access is off
      return false;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(stateLayout);
      int result = (int) prctl.invokeExact(state, PR_SET_PDEATHSIG, (long) signal);
      if (result < 0) {
        VarHandle errno = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        throw new IOException("prctl(PR_SET_PDEATHSIG, " + signal + ") failed: errno=" + (int) errno.get(state, 0L));
      }
      return true;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
