package com.example.outside;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class outside every allowed package whose {@code readObject} records that it ran: the
 * stand-in for a deserialization gadget in tests of the allow rule.
 */
public final class Gadget implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** How many times a {@code readObject} of this class ran in this JVM. */
  public static final AtomicInteger READS = new AtomicInteger();

  /** A field, so the stream carries some state. */
  public final String payload;

  /** @param payload any text */
  public Gadget(String payload) {
    this.payload = payload;
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    READS.incrementAndGet();
    in.defaultReadObject();
  }
}
