package io.github.multiproc.cluster.internal;

import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.ipc.codec.MissingClassException;
import io.github.multiproc.ipc.codec.RejectedPayloadException;

/**
 * Why a member could not start a chunk, as it travels in a {@link ChunkReply}: the kind, and the
 * class concerned (or what was corrupt).
 *
 * @param kind how decoding failed
 * @param detail the missing or refused class, or a description of the corruption
 */
record DecodeProblem(Kind kind, String detail) {

  /** How decoding failed. */
  enum Kind {
    /** A class in the payload is not on the member's class path. */
    MISSING_CLASS,
    /** A class in the payload is not allowed by the member's rule. */
    REFUSED_CLASS,
    /** The payload is malformed, broke a limit, or a readObject method failed. */
    CORRUPT
  }

  /**
   * Classifies a decode failure.
   *
   * @param e what the codec threw (an item's failure is looked through to its cause)
   * @return the problem
   */
  static DecodeProblem of(Throwable e) {
    Throwable t = e instanceof ItemDecodeException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof MissingClassException m) {
      return new DecodeProblem(Kind.MISSING_CLASS, m.className());
    }
    if (t instanceof RejectedPayloadException r && r.refusedClassName() != null) {
      return new DecodeProblem(Kind.REFUSED_CLASS, r.refusedClassName());
    }
    return new DecodeProblem(Kind.CORRUPT, String.valueOf(t.getMessage()));
  }
}
