package io.github.multiproc.ipc.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link WordWaiter} over the Linux {@code futex(2)} system call, called through the FFM API as
 * {@code syscall(SYS_futex, addr, op, val, timeout)} with the shared (not {@code _PRIVATE})
 * operations, so waiters and wakers may live in different processes mapping the same file.
 * Supported on Linux x86_64 ({@code SYS_futex = 202}) and aarch64 ({@code 98}).
 *
 * <p>Requires native access ({@code --enable-native-access=io.github.multiproc.ipc}, or
 * {@code ALL-UNNAMED} on the class path); without it the JDK prints a warning once.
 */
final class FutexWaiter implements WordWaiter {

  static final FutexWaiter INSTANCE = new FutexWaiter();

  private static final int FUTEX_WAIT = 0;
  private static final int FUTEX_WAKE = 1;

  /** Layout of {@code struct timespec} on LP64: {@code long tv_sec; long tv_nsec;}. */
  private static final long TIMESPEC_BYTES = 16;

  private static final Optional<Syscalls> SYSCALLS = Syscalls.load();

  private FutexWaiter() {}

  static boolean isSupported() {
    return SYSCALLS.isPresent();
  }

  @Override
  public void await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
    if (timeoutNanos <= 0) {
      return;
    }
    MemorySegment word = segment.asSlice(offset, Integer.BYTES);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment timeout = arena.allocate(TIMESPEC_BYTES, 8);
      timeout.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      timeout.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      // Returns 0 (woken), or -1 with EAGAIN (value differs), ETIMEDOUT or EINTR: the caller
      // re-checks its condition in every case, so the result is not needed.
      long ignored = (long) SYSCALLS.orElseThrow().futexWait.invokeExact(
          SYSCALLS.orElseThrow().number, word, FUTEX_WAIT, expected, timeout);
    } catch (Throwable t) {
      throw new IllegalStateException("futex wait failed", t);
    }
  }

  @Override
  public void wakeAll(MemorySegment segment, long offset) {
    MemorySegment word = segment.asSlice(offset, Integer.BYTES);
    try {
      long ignored = (long) SYSCALLS.orElseThrow().futexWake.invokeExact(
          SYSCALLS.orElseThrow().number, word, FUTEX_WAKE, Integer.MAX_VALUE);
    } catch (Throwable t) {
      throw new IllegalStateException("futex wake failed", t);
    }
  }

  /** Method handles of the variadic {@code long syscall(long number, ...)}. */
  private record Syscalls(long number, MethodHandle futexWait, MethodHandle futexWake) {

    static Optional<Syscalls> load() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      long number;
      if (!os.contains("linux")) {
        return Optional.empty();
      } else if (arch.equals("amd64") || arch.equals("x86_64")) {
        number = 202;
      } else if (arch.equals("aarch64")) {
        number = 98;
      } else {
        return Optional.empty();
      }
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> syscall = linker.defaultLookup().find("syscall");
      if (syscall.isEmpty()) {
        return Optional.empty();
      }
      Linker.Option variadic = Linker.Option.firstVariadicArg(1);
      MethodHandle futexWait = linker.downcallHandle(syscall.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS), variadic);
      MethodHandle futexWake = linker.downcallHandle(syscall.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), variadic);
      return Optional.of(new Syscalls(number, futexWait, futexWake));
    }
  }
}
