package io.github.multiproc.examples;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.processpool.JvmProcess;

/**
 * A {@link Pipe} between the parent and a worker JVM, like Python's
 * {@code multiprocessing.Pipe()}: the parent sends "ping n", the worker answers "pong n", and the
 * parent times the round trips.
 */
public final class PipePingPong {

  static final int ROUNDS = 10_000;

  private PipePingPong() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   * @throws Exception if the demo fails
   */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Connection parent = pipe.first();
      Connection child = pipe.second(); // handed to the worker: it serializes as a handle
      JvmProcess<Integer> worker = JvmProcess.start(() -> {
        int answered = 0;
        try (child) {
          for (int i = 0; i < ROUNDS + 1; i++) {
            String ping = child.recv(String.class);
            child.send("pong" + ping.substring(4));
            answered++;
          }
        }
        return answered;
      });
      parent.send("ping 0"); // the first round trip includes the worker's start-up
      System.out.println("  parent sent \"ping 0\", worker answered \"" + parent.recv(String.class) + "\"");
      long start = System.nanoTime();
      for (int i = 1; i <= ROUNDS; i++) {
        parent.send("ping " + i);
        String pong = parent.recv(String.class);
        if (!pong.equals("pong " + i)) {
          throw new IllegalStateException("out of order: " + pong);
        }
      }
      double micros = (System.nanoTime() - start) / 1e3 / ROUNDS;
      System.out.printf("  %,d more round trips between two JVMs: %.1f µs each (median figures: docs/benchmarks.md)%n",
          ROUNDS, micros);
      System.out.println("  the worker answered " + worker.result() + " pings");
    }
  }
}
