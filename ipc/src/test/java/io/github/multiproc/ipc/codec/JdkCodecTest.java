package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import io.github.multiproc.Task;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class JdkCodecTest {

  private final JdkCodec codec = JdkCodec.create();

  record Point(int x, int y) implements Serializable {}

  static final class Holder implements Serializable {
    final Inner inner = new Inner();
  }

  static final class Inner implements Serializable {
    transient Object ignored = new Object();
    final Object lock = new Object();
  }

  @Test
  void shouldRoundTripValues() {
    List<Object> values = Arrays.asList(null, 42, "text", new Point(1, 2), List.of(1, 2, 3),
        Map.of("k", new int[] {1, 2}), new BigDecimal("1.50"), Instant.ofEpochSecond(7));
    for (Object v : values) {
      Object back = codec.decode(codec.encode(v));
      if (v instanceof Map<?, ?> m) {
        assertThat((int[]) ((Map<?, ?>) back).get("k")).containsExactly((int[]) m.get("k"));
      } else {
        assertThat(back).isEqualTo(v);
      }
    }
  }

  @Test
  void shouldRoundTripAnyGeneratedListOfStringsIntegersAndMaps() {
    Gen<Object> leaves = strings().basicLatinAlphabet().ofLengthBetween(0, 12).<Object>map(x -> x)
        .mix(integers().all().map(x -> x))
        .mix(longs().all().map(x -> x));
    Gen<Object> values = leaves.mix(lists().of(leaves).ofSizeBetween(0, 5).map(l -> (Object) l))
        .mix(maps().of(strings().basicLatinAlphabet().ofLengthBetween(0, 4), leaves)
            .ofSizeBetween(0, 4).map(m -> (Object) new HashMap<>(m)));
    qt().withFixedSeed(0x6D70726F63L).withExamples(300)
        .forAll(lists().of(values).ofSizeBetween(0, 6))
        .checkAssert(list -> assertThat(codec.decode(codec.encode(new ArrayList<>(list)))).isEqualTo(list));
  }

  @Test
  void shouldRoundTripASerializableLambda() throws Exception {
    int offset = 5;
    Task<Integer, Integer> task = x -> x + offset;
    @SuppressWarnings("unchecked")
    Task<Integer, Integer> back = codec.decode(codec.encode(task), Task.class);
    assertThat(back.apply(1)).isEqualTo(6);
  }

  @Test
  void shouldNameTheFieldPathToANonSerializableObject() {
    assertThatThrownBy(() -> codec.encode(new Holder()))
        .isInstanceOfSatisfying(NotSerializableValueException.class, e -> {
          assertThat(e.offendingClassName()).isEqualTo("java.lang.Object");
          assertThat(e.path()).isEqualTo(Holder.class.getName() + " -> field 'inner' ("
              + Inner.class.getName() + ") -> field 'lock' (java.lang.Object)");
        })
        .hasMessageStartingWith("value is not serializable: java.lang.Object does not implement"
            + " java.io.Serializable, reached by " + Holder.class.getName());
  }

  @Test
  void shouldStartThePathOfABadItemInASequenceAtThatItem() {
    for (List<Object> items : List.<List<Object>>of(List.of(new Holder()), List.of("ok", new Holder(), 3))) {
      assertThatThrownBy(() -> codec.encodeAll(items))
          .isInstanceOfSatisfying(NotSerializableValueException.class, e -> {
            assertThat(e.offendingClassName()).isEqualTo("java.lang.Object");
            assertThat(e.path()).isEqualTo(Holder.class.getName() + " -> field 'inner' ("
                + Inner.class.getName() + ") -> field 'lock' (java.lang.Object)"); // no "[0]"
          });
    }
  }

  @Test
  void shouldNameTheCapturedArgumentOfALambda() {
    Thread captured = Thread.currentThread();
    Task<Integer, String> task = x -> captured.getName() + x;
    assertThatThrownBy(() -> codec.encode(task))
        .isInstanceOfSatisfying(NotSerializableValueException.class, e -> {
          assertThat(e.offendingClassName()).isEqualTo(captured.getClass().getName());
          assertThat(e.path()).startsWith("lambda " + JdkCodecTest.class.getName() + "$$Lambda")
              .contains("(" + Task.class.getName() + ")")
              .endsWith(" -> captured arg 0 (" + captured.getClass().getName() + ")");
        });
  }

  @Test
  void shouldNameALambdaWhoseInterfaceIsNotSerializable() {
    Runnable r = () -> {};
    assertThatThrownBy(() -> codec.encode(List.of(1, r)))
        .isInstanceOfSatisfying(NotSerializableValueException.class, e ->
            assertThat(e.path()).startsWith("java.util.ImmutableCollections$List12 -> [1] (lambda ")
                .endsWith("(java.lang.Runnable))"));
  }

  @Test
  void shouldRejectAnArrayLongerThanTheLimit() {
    JdkCodec strict = JdkCodec.builder().limits(DecodeLimits.defaults().withMaxArrayLength(100)).build();
    byte[] bytes = codec.encode(new long[101]);
    assertThatThrownBy(() -> strict.decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessage("payload refused by the decode filter: array length must be <= maxArrayLength=100: arrayLength=101");
  }

  @Test
  void shouldRejectAGraphDeeperThanTheLimit() {
    JdkCodec strict = JdkCodec.builder().limits(DecodeLimits.defaults().withMaxDepth(20)).build();
    Object nested = null;
    for (int i = 0; i < 30; i++) {
      nested = new Object[] {nested};
    }
    byte[] bytes = codec.encode(nested);
    assertThatThrownBy(() -> strict.decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageStartingWith("payload refused by the decode filter: object graph depth must be <= maxDepth=20");
  }

  @Test
  void shouldRejectTooManyReferencesAndTooManyBytes() {
    LinkedList<Integer> list = new LinkedList<>();
    for (int i = 0; i < 1000; i++) {
      list.add(i);
    }
    byte[] bytes = codec.encode(new ArrayList<>(list));
    assertThatThrownBy(() -> JdkCodec.builder().limits(DecodeLimits.defaults().withMaxReferences(100)).build().decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("object references must be <= maxReferences=100");
    assertThatThrownBy(() -> JdkCodec.builder().limits(DecodeLimits.defaults().withMaxBytes(100)).build().decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessage("payload bytes must be <= maxBytes=100: length=" + bytes.length);
  }

  @Test
  void shouldRefuseDeniedClassesAndClassesOutsideTheAllowRule() {
    byte[] point = codec.encode(List.of(new Point(1, 2)));
    assertThatThrownBy(() -> JdkCodec.builder().deny(Point.class.getName()).build().decode(point))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessage("payload refused by the decode filter: class " + Point.class.getName()
            + " is refused by deny pattern '" + Point.class.getName() + "'");
    byte[] address = codec.encode(InetSocketAddress.createUnresolved("example.org", 80));
    assertThat(codec.decode(point)).isEqualTo(List.of(new Point(1, 2))); // records are allowed
    assertThatThrownBy(() -> codec.decode(address))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageStartingWith("payload refused by the decode filter: class java.net.InetSocketAddress"
            + " is not allowed by the decode rule")
        .hasMessageContaining("JdkCodec.builder().allow(\"java.net.InetSocketAddress\")");
    JdkCodec allowed = JdkCodec.builder().allow("java.net.InetSocketAddress", "java.net.SocketAddress").build();
    assertThat(allowed.decode(address)).isEqualTo(InetSocketAddress.createUnresolved("example.org", 80));
  }

  @Test
  void shouldFailCleanlyOnGarbageAndTruncatedPayloads() {
    assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("decoding failed: the 3-byte payload is not a valid JDK serialization stream");
    byte[] good = codec.encode(new Point(3, 4));
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void shouldCheckTheDecodedType() {
    assertThatThrownBy(() -> codec.decode(codec.encode("s"), Integer.class))
        .isInstanceOf(CodecException.class)
        .hasMessage("decoded value must be a java.lang.Integer: was a java.lang.String");
    Object none = codec.decode(codec.encode(null), Optional.class);
    assertThat(none).isNull();
  }

  @Test
  void shouldRejectMalformedPatterns() {
    for (String bad : new String[] {"", "a b", "a*b", "!x", "a;b", "com**"}) {
      assertThatThrownBy(() -> JdkCodec.builder().allow(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("class pattern must be a class name");
    }
    assertThat(new ClassNamePattern("com.acme.*").matches("com.acme.Foo")).isTrue();
    assertThat(new ClassNamePattern("com.acme.*").matches("com.acme.sub.Foo")).isFalse();
    assertThat(new ClassNamePattern("com.acme.**").matches("com.acme.sub.Foo")).isTrue();
    assertThat(new ClassNamePattern("com.acme.Foo*").matches("com.acme.FooBar")).isTrue();
  }
}
