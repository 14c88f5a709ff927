package io.github.multiproc.processpool.manager;

/** A call that blocks in the manager until another object opens the gate: for interrupting a waiting caller. */
public interface Gate {

  /** Waits in the manager until {@link #open()} is called on any gate. */
  void pass();

  /** Lets every waiting {@link #pass()} return. */
  void open();

  /** {@return how many calls of {@link #pass()} have started, on any gate} */
  int entered();
}
