package com.example.outside;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/** A plain serializable class outside every allowed package (a user's result type in tests). */
public final class OutsideValue implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** The value. */
  public final int value;

  /** @param value any number */
  public OutsideValue(int value) {
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutsideValue v && v.value == value;
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "OutsideValue[" + value + "]";
  }
}
