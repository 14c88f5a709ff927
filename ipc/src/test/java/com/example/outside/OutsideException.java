package com.example.outside;

import java.io.Serial;

/** An exception class outside every allowed package. */
public final class OutsideException extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  /** @param message the message */
  public OutsideException(String message) {
    super(message);
  }
}
