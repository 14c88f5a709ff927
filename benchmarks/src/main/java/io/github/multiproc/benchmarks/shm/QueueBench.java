package io.github.multiproc.benchmarks.shm;

import io.github.multiproc.benchmarks.suite.Comparison;
import io.github.multiproc.ipc.shm.MessageCodec;
import io.github.multiproc.ipc.shm.SharedQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * SharedQueue between two JVMs against Python's {@code multiprocessing.Queue} between two
 * Python processes, in the same run: one-producer/one-consumer throughput of 16-byte messages
 * and the round-trip latency of a ping-pong over two queues. Prints each run, the medians and
 * the ratios.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp <class path> \
 *     io.github.multiproc.benchmarks.shm.QueueBench [runs=5] [messages=2000000] [roundTrips=50000] [python=python3]
 * </pre>
 * The Python peer is {@code benchmarks/python/queue_bench.py} (looked up from the working
 * directory, or set {@code -Dqueue.bench.script=<path>}).
 */
public final class QueueBench {

  static final int MESSAGE_BYTES = 16;

  private QueueBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--peer")) {
      peer(args[1], args[2], args[3]);
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int roundTrips = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
    String python = args.length > 3 ? args[3] : "python3";

    double[] throughput = new double[runs];
    double[] latency = new double[runs];
    double[] latencyP50 = new double[runs];
    throughputRun(messages / 4); // warm-up
    latencyRun(roundTrips / 4);
    for (int r = 0; r < runs; r++) {
      throughput[r] = throughputRun(messages);
      double[] trip = latencyRun(roundTrips);
      latency[r] = trip[0];
      latencyP50[r] = trip[1];
      System.out.printf(Locale.ROOT, "java   run %d: throughput %.0f msg/s, round trip mean %.2f us, p50 %.2f us%n", r,
          throughput[r], latency[r], latencyP50[r]);
    }

    Path script = Path.of(System.getProperty("queue.bench.script", "benchmarks/python/queue_bench.py"));
    if (!Files.exists(script)) {
      script = Path.of("python/queue_bench.py");
    }
    List<String> py = Peers.run(List.of(python, script.toString(), Integer.toString(runs),
        Integer.toString(Math.max(messages / 20, 10_000)), Integer.toString(Math.max(roundTrips / 5, 2_000)),
        Integer.toString(MESSAGE_BYTES)));
    py.forEach(line -> System.out.println("python " + line));
    double pyThroughput = Peers.field(py, "median", "throughput");
    double pyLatency = Peers.field(py, "median", "round_trip_us");
    double pyLatencyP50 = Peers.field(py, "median", "round_trip_p50_us");

    double jThroughput = Comparison.median(throughput);
    double jLatency = Comparison.median(latency);
    double jLatencyP50 = Comparison.median(latencyP50);
    System.out.printf(Locale.ROOT, "%nSharedQueue 1P/1C, %d-byte messages, medians of %d runs%n", MESSAGE_BYTES, runs);
    System.out.printf(Locale.ROOT, "  throughput  java %,.0f msg/s   python %,.0f msg/s   ratio %.1fx (goal >= 10x)%n",
        jThroughput, pyThroughput, jThroughput / pyThroughput);
    System.out.printf(Locale.ROOT, "  round trip mean  java %.2f us   python %.2f us   ratio %.1fx lower (goal >= 10x)%n",
        jLatency, pyLatency, pyLatency / jLatency);
    System.out.printf(Locale.ROOT, "  round trip p50   java %.2f us   python %.2f us   ratio %.1fx lower%n",
        jLatencyP50, pyLatencyP50, pyLatencyP50 / jLatencyP50);
  }

  private static SharedQueue<byte[]> queue() {
    return SharedQueue.builder(MessageCodec.bytes()).capacity(1024).maxMessageBytes(MESSAGE_BYTES).create();
  }

  /** Messages per second from this JVM to a consumer JVM (timed until the consumer acknowledges the last). */
  private static double throughputRun(int messages) throws Exception {
    SharedQueue<byte[]> data = queue();
    SharedQueue<byte[]> acks = queue();
    Process peer = Peers.startJvm(QueueBench.class, "--peer", "sink", data.name() + "," + acks.name(),
        Integer.toString(messages));
    try {
      acks.take(); // peer attached and ready
      byte[] message = new byte[MESSAGE_BYTES];
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        data.put(message);
      }
      acks.take();
      long elapsed = System.nanoTime() - start;
      return messages / (elapsed / 1e9);
    } finally {
      finish(peer, data, acks);
    }
  }

  /** Round trips of a ping-pong with an echoing JVM: {mean, median} in microseconds. */
  private static double[] latencyRun(int roundTrips) throws Exception {
    SharedQueue<byte[]> ping = queue();
    SharedQueue<byte[]> pong = queue();
    Process peer = Peers.startJvm(QueueBench.class, "--peer", "echo", ping.name() + "," + pong.name(),
        Integer.toString(roundTrips));
    try {
      pong.take(); // peer ready
      byte[] message = new byte[MESSAGE_BYTES];
      double[] trips = new double[roundTrips];
      long start = System.nanoTime();
      for (int i = 0; i < roundTrips; i++) {
        long t0 = System.nanoTime();
        ping.put(message);
        pong.take();
        trips[i] = (System.nanoTime() - t0) / 1e3;
      }
      long elapsed = System.nanoTime() - start;
      return new double[] {elapsed / 1e3 / roundTrips, Comparison.median(trips)};
    } finally {
      finish(peer, ping, pong);
    }
  }

  private static void finish(Process peer, SharedQueue<?>... queues) throws InterruptedException {
    peer.waitFor();
    for (SharedQueue<?> q : queues) {
      q.unlink();
      q.close();
    }
  }

  private static void peer(String role, String names, String countText) throws Exception {
    String[] n = names.split(",");
    SharedQueue<byte[]> in = SharedQueue.attach(n[0], MessageCodec.bytes());
    SharedQueue<byte[]> out = SharedQueue.attach(n[1], MessageCodec.bytes());
    int count = Integer.parseInt(countText);
    byte[] ack = new byte[1];
    out.put(ack);
    if (role.equals("sink")) {
      for (int i = 0; i < count; i++) {
        in.take();
      }
      out.put(ack);
    } else {
      for (int i = 0; i < count; i++) {
        out.put(in.take());
      }
    }
    in.close();
    out.close();
  }

}
