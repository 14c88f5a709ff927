package com.example.results;

import java.io.Serial;

/** An exception class outside every allowed package, for tests of the stand-in. */
public final class ForeignFailure extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates it with the message "from the task". */
  public ForeignFailure() {
    super("from the task");
  }
}
