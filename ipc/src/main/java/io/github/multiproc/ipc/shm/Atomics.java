package io.github.multiproc.ipc.shm;

import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;

/**
 * Var handles for atomic access to {@code MemorySegment}s. Coordinates are
 * {@code (MemorySegment segment, long offset)}; offsets must be naturally aligned.
 */
final class Atomics {

  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private Atomics() {}
}
