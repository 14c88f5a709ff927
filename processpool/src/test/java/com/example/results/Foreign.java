package com.example.results;

import java.io.Serial;
import java.io.Serializable;

/** A result class outside the task's package and every allowed one, for tests of the allow rule. */
public final class Foreign implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
}
