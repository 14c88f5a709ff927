package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outside.Gadget;
import com.example.outside.Greeter;
import com.example.outside.OutsideException;
import com.example.outside.OutsideRecord;
import com.example.outside.OutsideValue;
import io.github.multiproc.RemoteException;
import java.io.Serializable;
import java.lang.annotation.Retention;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The default allow rule: what a payload may make the receiver instantiate, and what it may not. */
@Timeout(20)
class AllowRuleTest {

  private final JdkCodec codec = JdkCodec.create();

  enum Color { RED, GREEN { @Override public String toString() { return "green"; } } }

  /** A serializable handler, so a proxy built on it serializes. */
  record EchoHandler(String text) implements InvocationHandler, Serializable {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      return text;
    }
  }

  @Test
  void shouldDecodeJdkValueTypesCollectionsArraysRecordsEnumsAndJdkExceptions() {
    List<Object> values = Arrays.asList(1, 2L, 3.0, 'c', "s", true, (byte) 1, (short) 2, 1.5f,
        new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"), Instant.ofEpochSecond(9),
        LocalDate.of(2024, 2, 29), Duration.ofMillis(5), ZonedDateTime.parse("2024-01-01T00:00:00Z"),
        UUID.fromString("00000000-0000-0000-0000-000000000001"), URI.create("https://example.org/x"),
        new HashMap<>(Map.of("k", List.of(1, 2))), new TreeMap<>(Map.of(1, "a")), new ArrayDeque<>(List.of(1)),
        new ConcurrentHashMap<>(Map.of("a", 1)), new int[] {1, 2}, new String[][] {{"x"}},
        new OutsideRecord("anywhere"), Color.RED, Color.GREEN, TimeUnit.SECONDS,
        new java.sql.Timestamp(5), new java.io.File("/tmp/x"));
    for (Object v : values) {
      Object back = codec.decode(codec.encode(v));
      if (v.getClass().isArray()) {
        assertThat(back).isInstanceOf(v.getClass());
      } else if (v instanceof ArrayDeque<?> d) {
        assertThat(back).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE).containsExactlyElementsOf(d);
      } else {
        assertThat(back).as(v.getClass().getName()).isEqualTo(v);
      }
    }
    IllegalStateException jdk = new IllegalStateException("boom", new java.io.IOException("io"));
    assertThat((Throwable) codec.decode(codec.encode(jdk))).isInstanceOf(IllegalStateException.class)
        .hasMessage("boom").hasCauseInstanceOf(java.io.IOException.class);
    assertThat(codec.decode(codec.encode(new AtomicLong(7))).toString()).isEqualTo("7");
    assertThat(codec.decode(codec.encode(RemoteException.describing(jdk)))).isInstanceOf(RemoteException.class);
  }

  @Test
  void shouldRefuseAGadgetClassBeforeItsReadObjectRunsAndSayHowToAllowIt() {
    byte[] bytes = codec.encode(List.of(new Gadget("x")));
    int before = Gadget.READS.get();
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("class com.example.outside.Gadget is not allowed by the decode rule")
        .hasMessageContaining("JdkCodec.builder().allow(\"com.example.outside.Gadget\")")
        .hasMessageContaining(".allow(\"com.example.outside.*\")")
        .hasMessageContaining("-Dmultiproc.codec.allow=com.example.outside.Gadget");
    assertThat(Gadget.READS.get()).isEqualTo(before);
    // allowed, it runs: the assertion above can fail
    JdkCodec.builder().allow("com.example.outside.Gadget").build().decode(bytes);
    assertThat(Gadget.READS.get()).isEqualTo(before + 1);
  }

  @Test
  void shouldRefuseJdkInternalAndSecurityClassesThatUsedToBeAccepted() {
    assertThatThrownBy(() -> codec.decode(codec.encode(new Subject())))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("class javax.security.auth.Subject is not allowed");
    TimeZone zone = TimeZone.getTimeZone("Europe/Paris"); // a sun.util.calendar.ZoneInfo
    assertThat(zone.getClass().getName()).startsWith("sun.");
    assertThatThrownBy(() -> codec.decode(codec.encode(zone)))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("class sun.util.calendar.ZoneInfo is not allowed");
  }

  @Test
  void shouldRefuseAnnotationAndDynamicProxiesUnlessAllowed() {
    Retention retention = Retention.class.getAnnotation(Retention.class); // an annotation proxy
    assertThatThrownBy(() -> codec.decode(codec.encode(retention)))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("java.lang.annotation.Retention is not allowed");
    assertThatThrownBy(() -> JdkCodec.builder().allow("java.lang.annotation.*").build().decode(codec.encode(retention)))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("is a dynamic proxy");
    Greeter proxy = (Greeter) Proxy.newProxyInstance(Greeter.class.getClassLoader(),
        new Class<?>[] {Greeter.class}, new EchoHandler("hi"));
    byte[] bytes = codec.encode(proxy);
    assertThatThrownBy(() -> codec.decode(bytes)) // its interface first
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("com.example.outside.Greeter is not allowed");
    assertThatThrownBy(() -> JdkCodec.builder().allow("com.example.outside.Greeter").build().decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("is a dynamic proxy (interfaces [interface com.example.outside.Greeter])")
        .hasMessageContaining("allowProxies()");
    JdkCodec proxies = JdkCodec.builder()
        .rule(AllowRule.defaults().allowProxies().allow("com.example.outside.Greeter")).build();
    assertThat(((Greeter) proxies.decode(bytes)).greet()).isEqualTo("hi");
  }

  @Test
  void shouldAllowAProxyClassThatImplementsALibraryInterfaceButStillCheckTheInterfacesInAStream() {
    Class<?> library = Proxy.newProxyInstance(Greeter.class.getClassLoader(),
        new Class<?>[] {Greeter.class, io.github.multiproc.Idempotent.class}, new EchoHandler("hi")).getClass();
    Class<?> foreign = Proxy.newProxyInstance(Greeter.class.getClassLoader(),
        new Class<?>[] {Greeter.class}, new EchoHandler("hi")).getClass();
    assertThat(AllowRule.defaults().allows(library)).isTrue(); // what a manager proxy's readResolve returns
    assertThat(AllowRule.defaults().allows(foreign)).isFalse();
    Object proxy = Proxy.newProxyInstance(Greeter.class.getClassLoader(),
        new Class<?>[] {Greeter.class, io.github.multiproc.Idempotent.class}, new EchoHandler("hi"));
    assertThatThrownBy(() -> codec.decode(codec.encode(proxy))) // written as a proxy: each interface is checked
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("com.example.outside.Greeter is not allowed");
  }

  @Test
  void shouldAllowATaskPackageRegisteredPatternsAndTheSystemProperty() {
    byte[] value = codec.encode(new OutsideValue(3));
    assertThatThrownBy(() -> codec.decode(value)).isInstanceOf(RejectedPayloadException.class);
    assertThat(codec.allowingPackageOf(Greeter.class).decode(value)).isEqualTo(new OutsideValue(3));
    assertThat(codec.allowingPackageOf(Greeter.class)).isSameAs(codec.allowingPackageOf(Greeter.class));
    assertThat(JdkCodec.builder().allow("com.example.**").build().decode(value)).isEqualTo(new OutsideValue(3));
    assertThat(FastPathCodec.create().allowingPackageOf(Greeter.class)
        .decode(FastPathCodec.create().encode(new OutsideValue(4)))).isEqualTo(new OutsideValue(4));
    String old = System.getProperty(JdkCodec.ALLOW_PROPERTY);
    System.setProperty(JdkCodec.ALLOW_PROPERTY, " com.example.outside.OutsideValue , java.net.InetSocketAddress");
    try {
      assertThat(JdkCodec.create().decode(value)).isEqualTo(new OutsideValue(3));
    } finally {
      if (old == null) {
        System.clearProperty(JdkCodec.ALLOW_PROPERTY);
      } else {
        System.setProperty(JdkCodec.ALLOW_PROPERTY, old);
      }
    }
  }

  @Test
  void shouldRefuseAnExceptionClassOutsideTheRuleButNotAJdkOne() {
    assertThatThrownBy(() -> codec.decode(codec.encode(new OutsideException("x"))))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("com.example.outside.OutsideException is not allowed");
    assertThat(AllowRule.defaults().allows(java.sql.SQLException.class)).isTrue();
    assertThat(AllowRule.defaults().allows(OutsideException.class)).isFalse();
  }

  @Test
  void shouldTrustEveryClassButTheDenyListForATrustedSender() {
    JdkCodec trusting = codec.trustingSender();
    assertThat(trusting.decode(codec.encode(new OutsideValue(1)))).isEqualTo(new OutsideValue(1));
    assertThat(AllowRule.anyClass().refusal(javax.management.BadAttributeValueExpException.class))
        .contains("built-in deny pattern 'javax.management.**'");
    assertThat(AllowRule.defaults().allows(int[][].class)).isTrue();
    assertThat(AllowRule.defaults().deny("java.lang.Integer").refusal(Integer[].class))
        .contains("refused by deny pattern 'java.lang.Integer'");
  }
}
