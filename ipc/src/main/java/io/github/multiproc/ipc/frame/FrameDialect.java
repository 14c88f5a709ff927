package io.github.multiproc.ipc.frame;

import java.util.Objects;

/**
 * The type codes one protocol speaks over frames: it turns the type byte of a frame read from the
 * wire into that protocol's {@link FrameType}, and refuses codes the protocol does not know.
 * Readers ({@link FrameReader}, {@link FrameDecoder}) take the dialect of the channel they read.
 *
 * {@snippet :
 * FrameDialect pipe = FrameDialect.of("pipe", PipeFrameType.values());
 * FrameReader reader = new FrameReader(in, Frames.DEFAULT_MAX_FRAME_BYTES, pipe);
 * }
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public final class FrameDialect {

  private final String name;
  private final FrameType[] byCode = new FrameType[256];

  private FrameDialect(String name, FrameType[] types) {
    this.name = Objects.requireNonNull(name, "name");
    for (FrameType t : types) {
      if (byCode[t.code() & 0xFF] != null) {
        throw new IllegalArgumentException("two types of dialect " + name + " share code "
            + String.format("0x%02X", t.code() & 0xFF) + ": " + byCode[t.code() & 0xFF].name() + " and " + t.name());
      }
      byCode[t.code() & 0xFF] = t;
    }
  }

  /**
   * Creates a dialect.
   *
   * @param name the protocol's name, for error messages
   * @param types every type the protocol speaks; codes must be distinct
   * @return the dialect
   * @throws IllegalArgumentException if two types share a code
   */
  public static FrameDialect of(String name, FrameType... types) {
    return new FrameDialect(name, types);
  }

  /** {@return the protocol's name} */
  public String name() {
    return name;
  }

  /**
   * Returns the type a wire code stands for in this dialect.
   *
   * @param code the type byte read from a frame
   * @return the type
   * @throws CorruptedFrameException if the dialect has no type with this code
   */
  public FrameType typeOf(byte code) throws CorruptedFrameException {
    FrameType t = byCode[code & 0xFF];
    if (t == null) {
      throw new CorruptedFrameException(String.format(
          "frame type code must be one of the known codes %s (the %s protocol): code=0x%02X", knownCodes(), name, code & 0xFF));
    }
    return t;
  }

  private String knownCodes() {
    StringBuilder sb = new StringBuilder("[");
    for (int c = 0; c < byCode.length; c++) {
      if (byCode[c] != null) {
        sb.append(sb.length() > 1 ? ", " : "").append(String.format("0x%02X", c));
      }
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return "FrameDialect[" + name + "]";
  }
}
