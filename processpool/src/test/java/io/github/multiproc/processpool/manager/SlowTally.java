package io.github.multiproc.processpool.manager;

/** {@link Tally} with a wide race window (20 µs between its read and its write); not thread-safe by itself. */
public final class SlowTally implements Tally {

  private long value;

  @Override
  public long increment() {
    long read = value;
    long until = System.nanoTime() + 20_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    value = read + 1;
    return value;
  }
}
