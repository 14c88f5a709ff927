package io.github.multiproc.benchmarks.core;

import io.github.multiproc.Pool;
import io.github.multiproc.Task;
import io.github.multiproc.ThreadPool;
import io.github.multiproc.VirtualThreadPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-item cost of {@code map} on the in-process backends, against a plain
 * {@link ExecutorService#invokeAll} running the same tiny task on the same kind of threads.
 * Scores are nanoseconds per item (lower is better).
 *
 * <pre>
 * bin/mvn25 -q -DskipTests install &amp;&amp; java -jar benchmarks/target/benchmarks.jar PoolOverhead
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g"})
@OperationsPerInvocation(PoolOverheadBenchmark.ITEMS)
public class PoolOverheadBenchmark {

  static final int ITEMS = 10_000;

  static final Task<Integer, Integer> INC = x -> x + 1;

  private List<Integer> inputs;
  private List<Callable<Integer>> callables;
  private Pool threadPool;
  private Pool virtualPool;
  private ExecutorService fixed;
  private ExecutorService virtual;

  @Setup(Level.Trial)
  public void setUp() {
    inputs = IntStream.range(0, ITEMS).boxed().toList();
    callables = new ArrayList<>(ITEMS);
    for (Integer x : inputs) {
      callables.add(() -> x + 1);
    }
    threadPool = ThreadPool.create(2);
    virtualPool = VirtualThreadPool.create();
    fixed = Executors.newFixedThreadPool(2);
    virtual = Executors.newVirtualThreadPerTaskExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    threadPool.close();
    virtualPool.close();
    fixed.close();
    virtual.close();
  }

  @Benchmark
  public List<Integer> threadPoolMap() {
    return threadPool.map(INC, inputs);
  }

  @Benchmark
  public List<Integer> executorInvokeAll() throws InterruptedException, ExecutionException {
    return collect(fixed.invokeAll(callables));
  }

  @Benchmark
  public List<Integer> virtualThreadPoolMap() {
    return virtualPool.map(INC, inputs);
  }

  @Benchmark
  public List<Integer> virtualExecutorInvokeAll() throws InterruptedException, ExecutionException {
    return collect(virtual.invokeAll(callables));
  }

  private static List<Integer> collect(List<Future<Integer>> futures) throws InterruptedException, ExecutionException {
    List<Integer> out = new ArrayList<>(futures.size());
    for (Future<Integer> f : futures) {
      out.add(f.get());
    }
    return out;
  }
}
