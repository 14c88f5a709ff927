package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * The receiving side of a pipe direction's {@link SharedRing}: maps the ring when its
 * announcement arrives, takes records in order (matching "on the socket" records with the DATA
 * frames read meanwhile), spins on the published position, and raises and lowers the sleeping
 * flag around a blocking wait (protocol in {@code docs/protocol.md} §3).
 *
 * <p>Thread safety: not thread-safe; used under the connection's receive lock. {@link #close}
 * may race with a receiver, which then fails with {@link IllegalStateException}.
 */
final class RingReader {

  private final long maxSpinNanos;
  private volatile SharedRing ring;
  private long consumed;
  private final ArrayDeque<Frame> socketMessages = new ArrayDeque<>();
  private boolean markerWaiting;
  private AdaptiveSpin spin;

  /** @param maxSpinNanos the longest spin before a wait blocks */
  RingReader(long maxSpinNanos) {
    this.maxSpinNanos = maxSpinNanos;
  }

  /** @return whether the peer's ring is mapped */
  boolean attached() {
    return ring != null;
  }

  /** Maps the ring an announcement names (and deletes its name). */
  void attach(Frame announce) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(announce.payload());
    if (ring != null || b.remaining() < 9) {
      throw new IOException("pipe peer sent a second or malformed ring announcement: " + announce);
    }
    long capacity = b.getLong();
    Path path = Path.of(StandardCharsets.UTF_8.decode(b).toString());
    if (!SharedRing.SHM_DIR.equals(path.getParent())
        || !path.getFileName().toString().startsWith("multiproc-pipe-")) {
      throw new IOException("pipe peer announced a shared ring outside " + SharedRing.SHM_DIR
          + ": " + path);
    }
    spin = new AdaptiveSpin(maxSpinNanos);
    ring = SharedRing.attach(path, capacity);
  }

  /** Keeps a DATA frame read from the socket for the "on the socket" record that points to it. */
  void stash(Frame f) {
    socketMessages.add(f);
  }

  /**
   * Takes the next message, or returns {@code null} if there is none yet; then
   * {@link #markerWaiting()} says whether the next record waits for its socket frame.
   */
  Frame take() throws IOException {
    markerWaiting = false;
    SharedRing r = ring;
    if (r == null || r.published() <= consumed) {
      return null;
    }
    int length = r.recordLength(consumed);
    Frame m;
    long size;
    if (length == SharedRing.ON_SOCKET) {
      m = socketMessages.poll();
      if (m == null) {
        markerWaiting = true;
        return null; // its DATA frame has not been read from the socket yet
      }
      size = SharedRing.recordSize(0);
    } else {
      if (length < 0 || length > r.capacity() / 2) {
        throw new IOException("ring record length must be in [0, " + r.capacity() / 2
            + "]: length=" + length + " at position " + consumed);
      }
      MessageKind kind = MessageKind.ofRingCode(r.recordKind(consumed));
      if (kind == null) {
        throw new IOException("ring record kind must be 0 (bytes) or 1 (object): kind="
            + r.recordKind(consumed) + " at position " + consumed);
      }
      byte[] message = new byte[length];
      r.readMessage(consumed, message);
      m = new Frame(PipeFrameType.DATA, kind.frameId(0), message);
      size = SharedRing.recordSize(length);
    }
    consumed += size;
    r.consumedTo(consumed);
    return m;
  }

  /** @return whether the last {@link #take()} found a record waiting for its socket frame */
  boolean markerWaiting() {
    return markerWaiting;
  }

  /**
   * Spins on the published position (memory loads only) for the adaptive budget.
   *
   * @return whether a record appeared
   */
  boolean spin(long timeoutNanos, BooleanSupplier closed) {
    long budget = spin.budget();
    if (budget == 0) {
      return false;
    }
    long start = System.nanoTime();
    long until = start + (timeoutNanos < 0 ? budget : Math.min(budget, timeoutNanos));
    long last = start;
    while (true) {
      if (ring.published() > consumed) {
        spin.succeeded();
        return true;
      }
      long now = System.nanoTime();
      if (now - until >= 0 || now - last > FrameChannel.PREEMPTED_NANOS || closed.getAsBoolean()) {
        spin.failed();
        return false;
      }
      last = now;
      Thread.onSpinWait();
    }
  }

  /**
   * Raises the sleeping flag, then looks once more.
   *
   * @return true if the caller may block on the socket now; false if a record arrived (the flag
   *     is lowered again)
   */
  boolean fallAsleep() {
    ring.sleeping(true);
    if (ring.published() > consumed) {
      ring.sleeping(false);
      return false;
    }
    return true;
  }

  /** Lowers the sleeping flag after a blocking wait. */
  void wakeUp() {
    SharedRing r = ring;
    if (r != null) {
      r.sleeping(false);
    }
  }

  /** Unmaps the ring. */
  void close() throws IOException {
    SharedRing r = ring;
    if (r != null) {
      r.close();
    }
  }
}
