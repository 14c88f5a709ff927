package io.github.multiproc.benchmarks.codec;

import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the secure decoding costs per value, for a chunk of {@value #ITEMS} values that take the
 * generic (JDK serialization) path: encode plus decode, nanoseconds per value (lower is better).
 *
 * <ul>
 *   <li>{@code plainJdk}: one bare JDK stream of an {@code Object[]}, no filter (the floor);
 *   <li>{@code denyListOnly}: {@link JdkCodec} with {@link AllowRule#anyClass()} (the deny list
 *       and the limits only: what the default was before the allow rule), one stream;
 *   <li>{@code allowRule}: the default {@link JdkCodec}, one stream of an {@code Object[]};
 *   <li>{@code allowRuleItemByItem}: the default codec's {@code encodeAll}/{@code decodeAll},
 *       which the pools use for results (a chunk's inputs still travel as one stream): one bad
 *       value fails alone.
 * </ul>
 *
 * <pre>
 * bin/mvn25 -q -B -ntp package -pl benchmarks -am -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx1g"})
@OperationsPerInvocation(CodecBenchmark.ITEMS)
public class CodecBenchmark {

  static final int ITEMS = 1_000;

  /** A small value of the application's own, as results usually are. */
  public record Point(int x, String name, double weight) implements Serializable {}

  /** The kind of value in the chunk. */
  @Param({"record", "list"})
  public String kind;

  private List<Object> values;
  private JdkCodec allowRule;
  private JdkCodec denyListOnly;

  @Setup(Level.Trial)
  public void setUp() {
    values = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      values.add("record".equals(kind) ? new Point(i, "n" + i, i * 0.5) : new ArrayList<>(List.of(i, "s" + i)));
    }
    allowRule = JdkCodec.create().allowingPackageOf(Point.class);
    denyListOnly = JdkCodec.builder().rule(AllowRule.anyClass()).build();
  }

  @Benchmark
  public Object plainJdk() throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(values.toArray());
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Benchmark
  public Object denyListOnly() {
    return denyListOnly.decode(denyListOnly.encode(values.toArray()));
  }

  @Benchmark
  public Object allowRule() {
    return allowRule.decode(allowRule.encode(values.toArray()));
  }

  @Benchmark
  public Object allowRuleItemByItem() {
    DecodedItems items = allowRule.decodeAll(allowRule.encodeAll(values), ITEMS);
    return Arrays.asList(items.valuesOrThrow());
  }
}
