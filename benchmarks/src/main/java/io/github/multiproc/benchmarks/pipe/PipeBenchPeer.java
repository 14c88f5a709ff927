package io.github.multiproc.benchmarks.pipe;

import io.github.multiproc.ipc.Connection;
import java.io.EOFException;
import java.util.Arrays;

/**
 * The child JVM of {@link PipeBenchmark}: attaches the pipe end named by {@code args[0]} and
 * obeys commands sent on it ({@code echo-bytes n}, {@code echo-objects n},
 * {@code source count size}) until the pipe closes.
 */
public final class PipeBenchPeer {

  private PipeBenchPeer() {}

  /**
   * Runs the peer.
   *
   * @param args the pipe handle
   * @throws Exception if the pipe fails
   */
  public static void main(String[] args) throws Exception {
    try (Connection c = Connection.attach(args[0])) {
      while (true) {
        String[] cmd;
        try {
          cmd = ((String) c.recv()).split(" ");
        } catch (EOFException e) {
          return;
        }
        switch (cmd[0]) {
          case "echo-bytes" -> {
            for (int i = Integer.parseInt(cmd[1]); i > 0; i--) {
              c.sendBytes(c.recvBytes());
            }
          }
          case "echo-objects" -> {
            for (int i = Integer.parseInt(cmd[1]); i > 0; i--) {
              c.send(c.recv());
            }
          }
          case "source" -> {
            byte[] block = new byte[Integer.parseInt(cmd[2])];
            Arrays.fill(block, (byte) 0x5A);
            for (int i = Integer.parseInt(cmd[1]); i > 0; i--) {
              c.sendBytes(block);
            }
          }
          default -> throw new IllegalArgumentException("unknown command: " + cmd[0]);
        }
      }
    }
  }
}
