package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects the failures of conformance checks, so a worker can run them and send them back. */
final class Checks implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Runs a piece of code that must throw. */
  interface Action {
    void run() throws Exception;
  }

  private final String subject;
  private final List<String> failures = new ArrayList<>();
  private int count;

  Checks(String subject) {
    this.subject = subject;
  }

  void eq(String what, Object actual, Object expected) {
    count++;
    if (!Objects.equals(actual, expected)) {
      failures.add(subject + ": " + what + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }

  void isTrue(String what, boolean condition) {
    eq(what, condition, true);
  }

  void throwsA(String what, Class<? extends Throwable> type, Action action) {
    count++;
    try {
      action.run();
      failures.add(subject + ": " + what + ": expected " + type.getSimpleName() + " but nothing was thrown");
    } catch (Throwable t) {
      if (!type.isInstance(t)) {
        failures.add(subject + ": " + what + ": expected " + type.getSimpleName() + " but got " + t);
      }
    }
  }

  /** {@return what failed; empty if every check held} */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** {@return how many checks ran} */
  int count() {
    return count;
  }
}
