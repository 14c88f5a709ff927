package io.github.multiproc.ipc.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of a pipe direction's {@link SharedRing}: creates and announces the ring on
 * the first message, appends records, waits for space, wakes a sleeping receiver (protocol in
 * {@code docs/protocol.md} §3).
 *
 * <p>Thread safety: all state is guarded by the channel's send lock, which {@link #send} takes;
 * {@link #close} may race with a sender, which then fails with {@link ClosedChannelException}.
 */
final class RingWriter {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(RingWriter.class);
  }
  private static final long PROBE_NANOS = 100_000_000L;
  private static final long SPIN_NANOS = 50_000L;
  private static final long MAX_PARK_NANOS = 1_000_000L;
  private static final byte[] EMPTY = new byte[0];

  private final long capacity;
  private final int role;
  private volatile SharedRing ring;
  private long written;
  private boolean unavailable;

  /**
   * @param capacity the ring's capacity, or 0 for none
   * @param role the end this writer belongs to, for Log.LOG messages
   */
  RingWriter(long capacity, int role) {
    this.capacity = capacity;
    this.role = role;
  }

  /**
   * Appends a message to the ring (or, if it is bigger than half the ring, a record pointing to
   * a DATA frame sent right after on the socket), publishes it, and wakes the receiver if it
   * went to sleep. Waits (spin, then parking with back-off up to 1 ms) while the ring is full,
   * probing the peer with a PING every 100 ms so that a dead peer ends the wait.
   *
   * @return false if this end has no ring (creation failed): send through the socket
   */
  boolean send(FrameChannel c, MessageKind kind, byte[] bytes, int offset, int length, AtomicLong sequence,
      BooleanSupplier closed) throws IOException {
    ReentrantLock lock = c.sendLock();
    lock.lock();
    try {
      if (unavailable || ring == null && !create(c)) {
        return false;
      }
      SharedRing r = ring;
      boolean inRing = length <= r.capacity() / 2;
      long size = SharedRing.recordSize(inRing ? length : 0);
      try {
        awaitSpace(c, r, size, closed);
        r.writeRecord(written, inRing ? length : SharedRing.ON_SOCKET, kind, bytes, offset);
        written += size;
        r.publish(written);
        if (!inRing) {
          c.send(PipeFrameType.DATA, kind.frameId(sequence.getAndIncrement()), bytes, offset, length);
        }
        if (r.takeSleeping()) {
          c.send(PipeFrameType.PING, 0, EMPTY, 0, 0); // the wake-up
        }
      } catch (IllegalStateException e) {
        if (closed.getAsBoolean()) {
          throw new ClosedChannelException(); // unmapped by close()
        }
        throw e;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Creates the ring and announces it on the socket; false if that is impossible here. */
  private boolean create(FrameChannel c) throws IOException {
    SharedRing r;
    try {
      r = SharedRing.create(capacity);
    } catch (IOException | RuntimeException e) {
      unavailable = true;
      Log.LOG.warn("pipe end {} sends through its socket only: no shared ring ({})", role, e.toString());
      return false;
    }
    byte[] path = r.path().toString().getBytes(StandardCharsets.UTF_8);
    byte[] announce = ByteBuffer.allocate(8 + path.length).putLong(r.capacity()).put(path).array();
    try {
      c.send(PipeFrameType.DATA, SocketConnection.RING_ANNOUNCE_ID, announce, 0, announce.length);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    ring = r;
    return true;
  }

  private void awaitSpace(FrameChannel c, SharedRing r, long size, BooleanSupplier closed)
      throws IOException {
    long need = written + size - r.capacity();
    if (r.consumed() >= need) {
      return;
    }
    long start = System.nanoTime();
    long nextProbe = start + PROBE_NANOS;
    long park = 10_000;
    while (r.consumed() < need) {
      if (closed.getAsBoolean() || !c.isOpen()) {
        throw new ClosedChannelException();
      }
      if (Thread.currentThread().isInterrupted()) {
        // The interrupt status stays set for the caller to see.
        throw new InterruptedIOException("interrupted while waiting for the peer to read");
      }
      long now = System.nanoTime();
      if (now - start < SPIN_NANOS) {
        Thread.onSpinWait();
        continue;
      }
      if (now - nextProbe >= 0) {
        c.send(PipeFrameType.PING, 0, EMPTY, 0, 0); // fails once the peer's socket is gone
        nextProbe = now + PROBE_NANOS;
      }
      LockSupport.parkNanos(park);
      park = Math.min(2 * park, MAX_PARK_NANOS);
    }
  }

  /**
   * Unmaps the ring; deletes its file only if the receiver cannot need it any more.
   *
   * @param receiverGone whether the receiver is known to be gone
   */
  void close(boolean receiverGone) throws IOException {
    SharedRing r = ring;
    if (r != null) {
      r.closeAsSender(receiverGone);
    }
  }
}
