package io.github.multiproc.processpool.internal.protocol;

import java.util.Arrays;

/** Byte mangling for {@link io.github.multiproc.processpool.FaultInjector.Action#CORRUPT}. Stateless. */
public final class Faults {

  /** What corrupted bytes are overwritten with: not a valid kind, count or length anywhere. */
  public static final byte GARBAGE = (byte) 0xEE;

  private Faults() {}

  /**
   * Returns a copy of {@code payload} with every byte from {@code from} on (at most 64) replaced by
   * {@link #GARBAGE}.
   *
   * @param payload the bytes
   * @param from the first byte to garble (the header before it stays readable)
   * @return the garbled copy
   */
  public static byte[] corruptPayload(byte[] payload, int from) {
    byte[] copy = payload.clone();
    Arrays.fill(copy, Math.min(from, copy.length), Math.min(copy.length, from + 64), GARBAGE);
    return copy;
  }
}
