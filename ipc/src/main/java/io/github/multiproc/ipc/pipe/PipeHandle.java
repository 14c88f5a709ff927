package io.github.multiproc.ipc.pipe;

import io.github.multiproc.ipc.frame.Frames;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Everything an end of a pipe needs to attach from another JVM, and its text form:
 * {@code multiproc-pipe:2:<role>:<flags>:<maxFrameBytes>:<spinNanos>:<ringBytes>:<cookie hex>:<socket path>}
 * (see {@code docs/protocol.md}). The text is a capability: whoever holds it may attach once.
 * Immutable.
 *
 * @param role 0 for the first end, 1 for the second
 * @param mode what this end may do
 * @param maxFrameBytes the largest frame either end accepts
 * @param spinNanos how long a waiting end spins before it blocks
 * @param ringBytes capacity of the shared-memory ring for large messages sent by this end, a
 *     power of 2, or 0 to send everything through the socket
 * @param cookie the 32-byte secret the acceptor checks
 * @param socket the Unix domain socket to connect to
 */
record PipeHandle(int role, Mode mode, int maxFrameBytes, long spinNanos, long ringBytes,
    byte[] cookie, Path socket) {

  static final String PREFIX = "multiproc-pipe:2:";
  static final int COOKIE_BYTES = 32;

  /** What an end may do. */
  enum Mode {
    DUPLEX('d'), RECEIVE_ONLY('r'), SEND_ONLY('w');

    final char flag;

    Mode(char flag) {
      this.flag = flag;
    }

    boolean canSend() {
      return this != RECEIVE_ONLY;
    }

    boolean canReceive() {
      return this != SEND_ONLY;
    }

    static Mode ofFlag(char c) {
      for (Mode m : values()) {
        if (m.flag == c) {
          return m;
        }
      }
      throw new IllegalArgumentException("pipe handle mode must be one of d, r, w: mode=" + c);
    }
  }

  PipeHandle {
    if (role != 0 && role != 1) {
      throw new IllegalArgumentException("role must be 0 or 1: role=" + role);
    }
    Objects.requireNonNull(mode, "mode");
    Frames.checkMaxFrameBytes(maxFrameBytes);
    if (spinNanos < 0) {
      throw new IllegalArgumentException("spinNanos must be >= 0: spinNanos=" + spinNanos);
    }
    if (ringBytes < 0 || ringBytes > 0 && Long.bitCount(ringBytes) != 1) {
      throw new IllegalArgumentException("ringBytes must be 0 or a power of 2: ringBytes=" + ringBytes);
    }
    if (cookie.length != COOKIE_BYTES) {
      throw new IllegalArgumentException("cookie must be " + COOKIE_BYTES + " bytes: length=" + cookie.length);
    }
    Objects.requireNonNull(socket, "socket");
  }

  String format() {
    return PREFIX + role + ":" + mode.flag + ":" + maxFrameBytes + ":" + spinNanos + ":"
        + ringBytes + ":" + HexFormat.of().formatHex(cookie) + ":" + socket;
  }

  static PipeHandle parse(String text) {
    Objects.requireNonNull(text, "handle");
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("pipe handle must start with '" + PREFIX + "': handle="
          + abbreviate(text));
    }
    String[] f = text.substring(PREFIX.length()).split(":", 7);
    try {
      if (f.length != 7 || f[1].length() != 1) {
        throw new IllegalArgumentException("expected 7 fields after the prefix");
      }
      return new PipeHandle(Integer.parseInt(f[0]), Mode.ofFlag(f[1].charAt(0)),
          Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
          HexFormat.of().parseHex(f[5]), Path.of(f[6]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("pipe handle is malformed (" + e.getMessage()
          + "): handle=" + abbreviate(text), e);
    }
  }

  /** Never puts the cookie in a message. */
  private static String abbreviate(String text) {
    return text.length() <= 24 ? text : text.substring(0, 24) + "...";
  }

  @Override
  public String toString() {
    return "PipeHandle[role " + role + ", " + mode + ", " + socket + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipeHandle h && h.format().equals(format());
  }

  @Override
  public int hashCode() {
    return format().hashCode();
  }
}
