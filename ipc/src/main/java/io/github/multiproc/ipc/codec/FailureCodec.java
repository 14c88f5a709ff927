package io.github.multiproc.ipc.codec;

import io.github.multiproc.RemoteException;
import java.util.Objects;

/**
 * How a task's failure travels back from another JVM, the same for the process pool and the
 * cluster pool: twice, as the original throwable and as a {@link RemoteException} stand-in (class
 * name, message, stack trace, cause chain) made where it was thrown. The receiver rebuilds the
 * original when it can (its class is present and allowed, its state deserializes), and otherwise
 * uses the stand-in, so a failure never turns into a decoding error.
 *
 * <pre>
 *  original   the codec's bytes of the throwable, or null when it does not encode
 *  standIn    the codec's bytes of RemoteException.describing(throwable); always present
 * </pre>
 * (Each backend frames the two byte arrays its own way: the process pool as two
 * {@code int32 length | bytes} fields, length -1 for null; the cluster in its reply object.)
 *
 * {@snippet :
 * FailureCodec.Encoded e = FailureCodec.encode(thrown, codec);          // where it was thrown
 * Throwable back = FailureCodec.decode(e.original(), e.standIn(), codec); // where it is reported
 * }
 *
 * <p>Stateless; thread-safe if the codec is.
 *
 * @since 0.2
 */
public final class FailureCodec {

  private FailureCodec() {}

  /**
   * A failure's two encodings.
   *
   * @param original the throwable's bytes, or {@code null} if it does not encode
   * @param standIn the stand-in's bytes
   */
  public record Encoded(byte[] original, byte[] standIn) {
    /**
     * Checks the stand-in is there.
     *
     * @param original may be null
     * @param standIn not null
     */
    public Encoded {
      Objects.requireNonNull(standIn, "standIn");
    }
  }

  /**
   * Encodes a failure where it was thrown.
   *
   * @param failure what the task threw
   * @param codec the codec of the channel
   * @return the original (unless it does not encode) and the stand-in
   */
  public static Encoded encode(Throwable failure, Codec codec) {
    byte[] original;
    try {
      original = codec.encode(failure);
    } catch (RuntimeException | StackOverflowError e) {
      original = null; // not serializable, or too deep: the stand-in will do
    }
    RemoteException standIn;
    try {
      standIn = RemoteException.describing(failure);
    } catch (StackOverflowError e) {
      standIn = new RemoteException(failure.getClass().getName(), failure.getMessage()
          + " (its cause chain is too long to describe)", failure.getStackTrace(), null);
    }
    return new Encoded(original, codec.encode(standIn));
  }

  /**
   * Rebuilds a failure where it is reported: the original if it decodes to a {@link Throwable},
   * else the stand-in, else a {@link RemoteException} saying neither decoded. Never throws: a
   * failure to decode is folded into what is returned.
   *
   * @param original the original's bytes, or {@code null}
   * @param standIn the stand-in's bytes, or {@code null} if the sender sent none
   * @param codec the codec of the channel (with the receiver's allow rule)
   * @return the failure to report
   */
  public static Throwable decode(byte[] original, byte[] standIn, Codec codec) {
    Throwable originalProblem = null;
    if (original != null) {
      try {
        Object o = codec.decode(original);
        if (o instanceof Throwable t) {
          return t;
        }
        originalProblem = new CodecException("the original failure decoded to a "
            + (o == null ? "null" : o.getClass().getName()) + ", not a Throwable");
      } catch (Throwable e) {
        // Any throwable, Errors from a class's own readObject included: the stand-in is there
        // exactly for an original that cannot be rebuilt here (class missing, refused, broken).
        originalProblem = e;
      }
    }
    try {
      Object s = standIn == null ? null : codec.decode(standIn);
      if (s instanceof Throwable t) {
        if (originalProblem != null) {
          t.addSuppressed(new CodecException("the original exception could not be rebuilt here: "
              + originalProblem.getMessage(), null));
        }
        return t;
      }
      return new RemoteException("unknown", "the remote failure's stand-in decoded to "
          + (s == null ? "nothing" : "a " + s.getClass().getName()), new StackTraceElement[0], null);
    } catch (Throwable e) {
      return new RemoteException("unknown", "the remote failure could not be decoded: " + e
          + (originalProblem == null ? "" : "; original: " + originalProblem), new StackTraceElement[0], null);
    }
  }
}
