package io.github.multiproc.ipc;

import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.pipe.SocketConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Two connected {@link Connection} ends, as Python's {@code multiprocessing.Pipe()} returns:
 * what one end sends, the other receives, in order. Either end can be handed to another JVM.
 *
 * {@snippet :
 * try (Pipe pipe = Pipe.open()) {           // duplex: both ends send and receive
 *   Connection a = pipe.first();
 *   Connection b = pipe.second();
 *   a.send(List.of(1, 2, 3));
 *   List<?> got = b.recv(List.class);
 *   b.sendBytes(new byte[] {42});
 *   byte[] reply = a.recvBytes();
 * }
 * Pipe oneWay = Pipe.builder().duplex(false).open(); // first() receives, second() sends
 * }
 *
 * <p>Transport: a Unix domain socket in a fresh directory of mode {@code 0700} for the handshake,
 * wake-ups and end of stream (the end that is handed out attaches with a 256-bit cookie, once;
 * after that nobody can connect), and a ring per direction in shared memory ({@code /dev/shm},
 * mode {@code 0600}) for the messages. Waiting ends spin briefly on memory, then block on the
 * socket without using CPU. See {@code docs/architecture.md} and {@code docs/protocol.md}.
 *
 * <p>Thread safety: immutable; the ends are thread-safe as described in {@link Connection}.
 * Lifecycle: {@link #close()} closes both ends (those still in this JVM).
 *
 * @since 0.1
 */
public final class Pipe implements AutoCloseable {

  /** Default longest message: {@link Frames#DEFAULT_MAX_FRAME_BYTES} minus the frame header. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = Frames.DEFAULT_MAX_FRAME_BYTES - Frames.MIN_LENGTH;
  /** Default time a waiting end spins before it blocks. */
  public static final Duration DEFAULT_SPIN = Duration.ofMillis(1);
  /** Default capacity of each direction's shared-memory ring for large messages: 16 MiB. */
  public static final int DEFAULT_RING_BYTES = 16 << 20;

  private final Connection first;
  private final Connection second;

  private Pipe(Connection first, Connection second) {
    this.first = first;
    this.second = second;
  }

  /**
   * Opens a duplex pipe with the default options.
   *
   * @return the pipe
   * @throws IOException if its socket cannot be created
   */
  public static Pipe open() throws IOException {
    return builder().open();
  }

  /**
   * Opens a pipe.
   *
   * @param duplex whether both ends send and receive; if {@code false}, {@link #first()} only
   *     receives and {@link #second()} only sends
   * @return the pipe
   * @throws IOException if its socket cannot be created
   */
  public static Pipe open(boolean duplex) throws IOException {
    return builder().duplex(duplex).open();
  }

  /** {@return a builder with the defaults: duplex, 64 MiB messages, 1 ms spin, 16 MiB rings} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the first end (the receiving end of a one-way pipe)} */
  public Connection first() {
    return first;
  }

  /** {@return the second end (the sending end of a one-way pipe)} */
  public Connection second() {
    return second;
  }

  /**
   * Closes both ends that are still in this JVM.
   *
   * @throws IOException if closing fails
   */
  @Override
  public void close() throws IOException {
    try {
      first.close();
    } finally {
      second.close();
    }
  }

  /**
   * Options of a pipe. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private boolean duplex = true;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private Duration spin = DEFAULT_SPIN;
    private int ringBytes = DEFAULT_RING_BYTES;

    private Builder() {}

    /**
     * Capacity of the shared-memory ring each sending end creates (in {@code /dev/shm}, on first
     * use) for messages from 64 KiB up to half this size, which then skip the socket's two
     * kernel copies. Zero sends everything through the socket. Ignored where {@code /dev/shm}
     * does not exist. Default 16 MiB.
     *
     * @param bytes 0, or a power of 2 of at least 128 KiB
     * @return this builder
     */
    public Builder sharedMemoryRing(int bytes) {
      if (bytes != 0 && (Integer.bitCount(bytes) != 1 || bytes < 128 * 1024)) {
        throw new IllegalArgumentException("sharedMemoryRing must be 0 or a power of 2 >= 131072:"
            + " bytes=" + bytes);
      }
      this.ringBytes = bytes;
      return this;
    }

    /**
     * Sets whether the pipe is two-way; a one-way pipe sends from {@link Pipe#second()} to
     * {@link Pipe#first()} only.
     *
     * @param duplex whether both ends send and receive (default {@code true})
     * @return this builder
     */
    public Builder duplex(boolean duplex) {
      this.duplex = duplex;
      return this;
    }

    /**
     * Sets the size limit of one message, checked by the sending and by the receiving end.
     *
     * @param bytes the longest message either end sends or accepts (default 64 MiB - 9)
     * @return this builder
     */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 0 || bytes > Frames.MAX_MAX_FRAME_BYTES - Frames.MIN_LENGTH) {
        throw new IllegalArgumentException("maxMessageBytes must be in [0, "
            + (Frames.MAX_MAX_FRAME_BYTES - Frames.MIN_LENGTH) + "]: maxMessageBytes=" + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * How long a waiting end re-checks for data (burning CPU) before it blocks. Longer catches
     * more answers without a costly wake-up; zero never spins. Default 1 ms.
     *
     * @param spin the spin time, zero or positive
     * @return this builder
     */
    public Builder spin(Duration spin) {
      Objects.requireNonNull(spin, "spin");
      if (spin.isNegative()) {
        throw new IllegalArgumentException("spin must be >= 0: spin=" + spin);
      }
      this.spin = spin;
      return this;
    }

    /**
     * Creates a connected pair of ends with these options.
     *
     * @return a new pipe with these options
     * @throws IOException if its socket cannot be created
     */
    public Pipe open() throws IOException {
      SocketConnection[] ends = SocketConnection.openPair(duplex,
          maxMessageBytes + Frames.MIN_LENGTH, spin.toNanos(), ringBytes);
      return new Pipe(ends[0], ends[1]);
    }
  }
}
