package io.github.multiproc.ipc.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One message of the protocol: a type, a correlation id that ties answers to requests, and an
 * opaque payload. The wire layout is drawn in {@link Frames}.
 *
 * {@snippet :
 * Frame ping = new Frame(PipeFrameType.DATA, 42L, new byte[0]);
 * writer.write(ping);
 * writer.flush();
 * }
 *
 * <p>Thread safety: the record is immutable except for its payload array, which is shared, not
 * copied (frames carry megabytes). Whoever builds a frame hands the array over and must not
 * change it afterwards. {@link #equals} and {@link #hashCode} compare payload contents.
 *
 * @param type the frame type
 * @param correlationId the request this frame belongs to; its meaning is the protocol user's
 * @param payload the payload bytes, never {@code null}, may be empty
 * @since 0.1
 */
public record Frame(FrameType type, long correlationId, byte[] payload) {

  private static final byte[] EMPTY = new byte[0];

  /**
   * Checks the arguments.
   *
   * @param type not null
   * @param correlationId any value
   * @param payload not null
   */
  public Frame {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
  }

  /**
   * Creates a frame without payload.
   *
   * @param type the frame type
   * @param correlationId the correlation id
   * @return the frame
   */
  public static Frame empty(FrameType type, long correlationId) {
    return new Frame(type, correlationId, EMPTY);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && type == f.type && correlationId == f.correlationId
        && Arrays.equals(payload, f.payload);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + Long.hashCode(correlationId)) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    int shown = Math.min(payload.length, 16);
    return "Frame[" + type + ", id=" + correlationId + ", " + payload.length + " bytes"
        + (shown == 0 ? "" : ": " + HexFormat.of().formatHex(payload, 0, shown)
            + (shown < payload.length ? "..." : ""))
        + "]";
  }
}
