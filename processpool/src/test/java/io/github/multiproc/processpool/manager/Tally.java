package io.github.multiproc.processpool.manager;

/** A counter whose increment reads, pauses and writes: lost updates show at once without the manager's lock. */
public interface Tally {

  /** Adds one; returns the new value. */
  long increment();
}
