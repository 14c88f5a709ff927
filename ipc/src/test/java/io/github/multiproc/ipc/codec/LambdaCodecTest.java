package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkCodec}'s own form for lambdas ({@link LambdaCodec}): lambdas that capture nothing or
 * scalars travel in it and come back working; others still go through JDK serialization; a forged
 * or broken payload gets the codec's own exceptions and never initializes a refused class.
 */
class LambdaCodecTest {

  /** Set by {@link Tripwire}'s static initializer: must stay false when the rule refuses it. */
  static final AtomicBoolean TRIPPED = new AtomicBoolean();

  interface SerialFunction<T, R> extends Function<T, R>, Serializable {}

  /** A class whose initialization the test would notice. */
  static final class Tripwire {
    static {
      TRIPPED.set(true);
    }

    private Tripwire() {}
  }

  private final JdkCodec codec = JdkCodec.create();

  @Test
  void shouldCarryALambdaThatCapturesNothingInItsOwnForm() {
    SerialFunction<Integer, Integer> square = x -> x * x;

    byte[] bytes = codec.encode(square);

    assertThat(bytes[0]).isEqualTo(LambdaCodec.MAGIC);
    @SuppressWarnings("unchecked")
    Function<Integer, Integer> back = (Function<Integer, Integer>) codec.decode(bytes);
    assertThat(back.apply(7)).isEqualTo(49);
  }

  @Test
  void shouldCarryCapturedScalarsAndNulls() {
    int i = 3;
    long l = 1L << 40;
    double d = 0.5;
    boolean b = true;
    String s = "é∑";
    String none = null;
    SerialFunction<Integer, String> f = x -> x + i + ":" + l + ":" + d + ":" + b + ":" + s + ":" + none;

    byte[] bytes = codec.encode(f);

    assertThat(bytes[0]).isEqualTo(LambdaCodec.MAGIC);
    @SuppressWarnings("unchecked")
    Function<Integer, String> back = (Function<Integer, String>) codec.decode(bytes);
    assertThat(back.apply(1)).isEqualTo(f.apply(1));
  }

  @Test
  void shouldLeaveLambdasThatCaptureObjectsToJdkSerialization() {
    List<Integer> offsets = List.of(10, 20);
    SerialFunction<Integer, Integer> f = x -> x + offsets.get(1);

    byte[] bytes = codec.encode(f);

    assertThat(bytes[0]).isEqualTo((byte) 0xAC); // a JDK stream
    @SuppressWarnings("unchecked")
    Function<Integer, Integer> back = (Function<Integer, Integer>) codec.decode(bytes);
    assertThat(back.apply(1)).isEqualTo(21);
  }

  @Test
  void shouldRefuseACapturingClassTheRuleRefusesWithoutInitializingIt() throws IOException {
    JdkCodec strict = JdkCodec.builder().deny(Tripwire.class.getName()).build();
    byte[] forged = payload(Tripwire.class.getName(), "lambda$x$0");

    assertThatThrownBy(() -> strict.decode(forged)).isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining(Tripwire.class.getName());
    assertThat(TRIPPED).isFalse();
  }

  @Test
  void shouldSayWhenTheCapturingClassDoesNotKnowTheLambda() throws IOException {
    byte[] forged = payload(LambdaCodecTest.class.getName(), "lambda$noSuchLambda$0");

    assertThatThrownBy(() -> codec.decode(forged)).isInstanceOf(CodecException.class)
        .hasMessageContaining("refused the lambda");
  }

  @Test
  void shouldSayWhenAClassIsMissing() throws IOException {
    byte[] forged = payload("com.example.NoSuchClass", "lambda$x$0");

    assertThatThrownBy(() -> codec.decode(forged)).isInstanceOf(MissingClassException.class)
        .hasMessageContaining("com.example.NoSuchClass");
  }

  @Test
  void shouldFailEveryTruncationWithTheCodecsException() {
    SerialFunction<Integer, String> f = x -> x + "!";
    byte[] bytes = codec.encode(f);

    for (int length = 1; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(cut)).as("cut at %d of %d", length, bytes.length)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void shouldFailTrailingBytesAndABadTag() {
    SerialFunction<Integer, Integer> f = x -> x + 1;
    byte[] bytes = codec.encode(f);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(CodecException.class).hasMessageContaining("after");

    int i = 5;
    SerialFunction<Integer, Integer> g = x -> x + i;
    byte[] tagged = codec.encode(g);
    tagged[tagged.length - 5] = 0x55; // the captured int's tag
    assertThatThrownBy(() -> codec.decode(tagged)).isInstanceOf(CodecException.class).hasMessageContaining("tag");
  }

  /** A lambda payload naming {@code capturingClass} and implementation {@code implMethod}. */
  private static byte[] payload(String capturingClass, String implMethod) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(LambdaCodec.MAGIC);
      out.writeUTF(capturingClass);
      out.writeUTF("java/util/function/Function");
      out.writeUTF("apply");
      out.writeUTF("(Ljava/lang/Object;)Ljava/lang/Object;");
      out.writeUTF(capturingClass.replace('.', '/'));
      out.writeUTF(implMethod);
      out.writeUTF("(Ljava/lang/Integer;)Ljava/lang/Integer;");
      out.writeUTF("(Ljava/lang/Integer;)Ljava/lang/Integer;");
      out.writeInt(MethodHandleInfo.REF_invokeStatic);
      out.writeInt(0);
    }
    return bytes.toByteArray();
  }
}
