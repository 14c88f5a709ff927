package outside;

import java.io.Serial;
import java.io.Serializable;

/** A result class in a package no allow rule of the tests names: refused where it is decoded. */
public final class OutsideResult implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
}
