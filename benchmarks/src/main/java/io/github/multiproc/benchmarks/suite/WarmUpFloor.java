package io.github.multiproc.benchmarks.suite;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * The floor of the warm-up curve: the least a JVM can do for {@link WholeProgram}'s maps with two
 * child JVMs and no library at all. The parent starts two children (the flags a pool gives its
 * workers: serial GC, one processor each, 16 MiB initial heap), and each map writes half of
 * 100,000 ints to each child's stdin as raw big-endian values, which the child squares through an
 * {@link IntUnaryOperator} (a task call) and writes back; the parent reads the results into an
 * {@code int[]}. No codec, no scheduler, no chunks, no error handling: what its maps 2, 3, ...
 * take in a fresh JVM is what this JDK's JIT and this machine allow, and what a pool's maps take
 * above that is the library's own cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.multiproc.benchmarks.suite.WarmUpFloor 20 100000
 * </pre>
 *
 * <p>With {@code -Dmultiproc.bench.floor.boxed=true} the floor keeps the API's types: the parent
 * reads its inputs from a {@code List<Integer>} item by item, as any {@code map(task, List)} must,
 * and the children call a {@code Function<Integer, Integer>}, boxing each value as a task over
 * {@code Integer}s does; results still come back into an {@code int[]}.
 *
 * <p>{@code -Dmultiproc.bench.floor.childJvmArgs=a,b,..} adds JVM arguments to the children's
 * command line, {@code {i}} replaced by the child's index: e.g. {@code -XX:AOTCacheOutput=/tmp/floor{i}.aot}
 * in one run, then {@code -XX:AOTCache=/tmp/floor0.aot}, to give the floor's children an AOT cache
 * trained on its own maps, as a pool gives its workers one.
 *
 * <p>Prints one line as {@link WholeProgram} does: {@code create_ms=.. maps_s=a,b,.. close_ms=..},
 * so that {@code benchmarks/python/ab_whole_program.py} runs it beside the others.
 */
public final class WarmUpFloor {

  private static final IntUnaryOperator SQUARE = x -> x * x;

  private static final Function<Integer, Integer> SQUARE_BOXED = x -> x * x;

  /** {@code -Dmultiproc.bench.floor.boxed}: inputs from a {@code List<Integer>}, a boxed task (class Javadoc). */
  private static final boolean BOXED = Boolean.getBoolean("multiproc.bench.floor.boxed");

  /** {@code -Dmultiproc.bench.floor.childJvmArgs}: more JVM arguments for the children (class Javadoc). */
  private static final List<String> CHILD_JVM_ARGS = System.getProperty("multiproc.bench.floor.childJvmArgs", "").isEmpty()
      ? List.of() : List.of(System.getProperty("multiproc.bench.floor.childJvmArgs").split(","));

  private WarmUpFloor() {}

  /**
   * Runs the parent, or with {@code child} as the first argument a child.
   *
   * @param args maps and items, or {@code child}
   * @throws Exception if a child cannot be started or its pipe breaks
   */
  public static void main(String[] args) throws Exception {
    if (args[0].startsWith("child")) {
      child(args[0].equals("child-boxed"));
      return;
    }
    int maps = Integer.parseInt(args[0]);
    int items = Integer.parseInt(args[1]);
    int[] inputs = new int[items];
    for (int i = 0; i < items; i++) {
      inputs[i] = i;
    }
    List<Integer> boxedInputs = BOXED ? IntStream.range(0, items).boxed().toList() : List.of();
    long t0 = System.nanoTime();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-Xms16m"));
      for (String arg : CHILD_JVM_ARGS) {
        command.add(arg.replace("{i}", Integer.toString(i)));
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), WarmUpFloor.class.getName(),
          BOXED ? "child-boxed" : "child"));
      children.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    for (Process c : children) { // ready: each child says so once it runs
      if (c.getInputStream().read() != 'R') {
        throw new IOException("a child did not start");
      }
    }
    StringBuilder out = new StringBuilder("create_ms=").append(ms(System.nanoTime() - t0)).append(" maps_s=");
    int half = items / 2;
    for (int m = 0; m < maps; m++) {
      long s = System.nanoTime();
      int[] results = new int[items];
      for (int c = 0; c < 2; c++) {
        if (BOXED) {
          sendBoxed(children.get(c).getOutputStream(), boxedInputs, c * half, c == 0 ? half : items - half);
        } else {
          send(children.get(c).getOutputStream(), inputs, c * half, c == 0 ? half : items - half);
        }
      }
      for (int c = 0; c < 2; c++) {
        receive(children.get(c).getInputStream(), results, c * half, c == 0 ? half : items - half);
      }
      long nanos = System.nanoTime() - s;
      if (results[items - 1] != (items - 1) * (items - 1)) {
        throw new IllegalStateException("wrong result");
      }
      out.append(m == 0 ? "" : ",").append(FixedPoint.of(nanos, 1_000_000_000L, 6));
    }
    long closeStart = System.nanoTime();
    for (Process c : children) {
      c.getOutputStream().close(); // end of input: the child exits
      c.waitFor();
    }
    out.append(" close_ms=").append(ms(System.nanoTime() - closeStart));
    System.out.println(out);
  }

  private static void send(OutputStream to, int[] values, int from, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * n);
    b.putInt(n);
    b.asIntBuffer().put(values, from, n);
    to.write(b.array());
    to.flush();
  }

  private static void sendBoxed(OutputStream to, List<Integer> values, int from, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * n);
    b.putInt(n);
    for (int i = from; i < from + n; i++) {
      b.putInt(values.get(i));
    }
    to.write(b.array());
    to.flush();
  }

  private static void receive(InputStream from, int[] into, int at, int n) throws IOException {
    byte[] bytes = new DataInputStream(from).readNBytes(4 * n);
    ByteBuffer.wrap(bytes).asIntBuffer().get(into, at, n);
  }

  private static void child(boolean boxed) throws IOException {
    DataInputStream in = new DataInputStream(System.in);
    DataOutputStream out = new DataOutputStream(System.out);
    out.write('R');
    out.flush();
    while (true) {
      int n;
      try {
        n = in.readInt();
      } catch (java.io.EOFException e) {
        return;
      }
      byte[] bytes = in.readNBytes(4 * n);
      ByteBuffer values = ByteBuffer.wrap(bytes);
      ByteBuffer results = ByteBuffer.allocate(4 * n);
      if (boxed) {
        for (int i = 0; i < n; i++) {
          results.putInt(SQUARE_BOXED.apply(values.getInt()));
        }
      } else {
        for (int i = 0; i < n; i++) {
          results.putInt(SQUARE.applyAsInt(values.getInt()));
        }
      }
      out.write(results.array());
      out.flush();
    }
  }

  private static String ms(long nanos) {
    return FixedPoint.of(nanos, 1_000_000L, 3);
  }
}
