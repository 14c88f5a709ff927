package io.github.multiproc.ipc.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default {@link Codec}: JDK serialization, with an {@link ObjectInputFilter} on every decode.
 *
 * {@snippet :
 * Codec codec = JdkCodec.builder()
 *     .limits(DecodeLimits.defaults().withMaxBytes(8 << 20))
 *     .allow("com.acme.model.**")      // allow-list mode: only these and the JDK's value types
 *     .deny("com.acme.model.Secret")   // denied even though allowed above
 *     .build();
 * byte[] bytes = codec.encode(order);
 * Order back = codec.decode(bytes, Order.class);
 * }
 *
 * <p><b>Decoding</b> is filtered: {@link DecodeLimits} bound depth, references, array length and
 * bytes, so a corrupt or hostile payload is refused with {@link RejectedPayloadException}
 * instead of exhausting memory. Classes matching a deny pattern are refused; the built-in deny
 * list ({@link #DEFAULT_DENY}) names well-known deserialization gadget packages. Without
 * {@link Builder#allow allow patterns} every other class is accepted; with them, only classes
 * matching them or {@link #BASE_ALLOW} (the JDK's value and collection types, exceptions,
 * serializable lambdas, and this library) are. A JVM-wide filter
 * ({@code jdk.serialFilter}) is honoured as well: it may reject what this codec would allow.
 *
 * <p><b>Encoding</b> fails on a value that cannot be serialized with
 * {@link NotSerializableValueException}, whose message names the class and the field path to it,
 * for a lambda down to the captured argument (found through {@code writeReplace} and
 * {@link java.lang.invoke.SerializedLambda}).
 *
 * <p>Thread safety: immutable and safe for concurrent use; each call uses its own streams.
 *
 * @since 0.1
 */
public final class JdkCodec implements Codec {

  /** Deserialization gadget packages refused by every {@code JdkCodec}. */
  public static final List<String> DEFAULT_DENY = List.of(
      "org.apache.commons.collections.functors.*",
      "org.apache.commons.collections4.functors.*",
      "org.apache.commons.beanutils.BeanComparator",
      "org.codehaus.groovy.runtime.*",
      "com.sun.org.apache.xalan.internal.xsltc.trax.*",
      "org.apache.xalan.xsltc.trax.*",
      "org.springframework.beans.factory.support.*",
      "com.mchange.v2.c3p0.*",
      "com.sun.rowset.*",
      "javax.management.**",
      "java.rmi.**",
      "sun.rmi.**",
      "javax.naming.**",
      "com.sun.jndi.**");

  /** Classes accepted in allow-list mode besides the user's allow patterns. */
  public static final List<String> BASE_ALLOW = List.of(
      "java.lang.*", "java.lang.invoke.SerializedLambda", "java.io.*", "java.util.**",
      "java.time.**", "java.math.*", "java.net.URI", "java.nio.file.*",
      "io.github.multiproc.**");

  private final DecodeLimits limits;
  private final List<ClassNamePattern> deny;
  private final List<ClassNamePattern> allow;
  private final ClassLoader classLoader;

  private JdkCodec(Builder b) {
    this.limits = b.limits;
    this.deny = List.copyOf(b.deny);
    List<ClassNamePattern> allowAll = new ArrayList<>();
    if (!b.allow.isEmpty()) {
      BASE_ALLOW.forEach(p -> allowAll.add(new ClassNamePattern(p)));
      allowAll.addAll(b.allow);
    }
    this.allow = List.copyOf(allowAll);
    this.classLoader = b.classLoader;
  }

  /** {@return a codec with the default limits and deny list and no allow list} */
  public static JdkCodec create() {
    return builder().build();
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the limits applied to every decode} */
  public DecodeLimits limits() {
    return limits;
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      SerializabilityInspector.Finding f = SerializabilityInspector.find(value)
          .orElseGet(() -> new SerializabilityInspector.Finding(e.getMessage(),
              SerializabilityInspector.describe(value) + " -> ... (" + e.getMessage() + ")"));
      throw new NotSerializableValueException(f.className(), f.path(), e);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("encoding a " + SerializabilityInspector.describe(value)
          + " failed: " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > limits.maxBytes()) {
      throw new RejectedPayloadException("payload bytes must be <= maxBytes=" + limits.maxBytes()
          + ": length=" + bytes.length, null);
    }
    DecodeFilter filter = new DecodeFilter(limits, deny, allow);
    try (FilteredObjectInputStream in = new FilteredObjectInputStream(bytes, classLoader)) {
      ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
      in.setObjectInputFilter(global == null ? filter : ObjectInputFilter.merge(filter, global));
      return in.readObject();
    } catch (InvalidClassException e) {
      throw rejectedOr(filter, e);
    } catch (ClassNotFoundException e) {
      throw new CodecException("decoding failed: class " + e.getMessage()
          + " is not on this JVM's class path", e);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (filter.rejection() != null) {
        throw rejectedOr(filter, e);
      }
      throw new CodecException("decoding failed: the " + bytes.length
          + "-byte payload is not a valid JDK serialization stream: " + e, e);
    }
  }

  private static CodecException rejectedOr(DecodeFilter filter, Throwable e) {
    if (filter.rejection() != null) {
      return new RejectedPayloadException("payload refused by the decode filter: "
          + filter.rejection(), e);
    }
    if (e.getMessage() != null && e.getMessage().contains("REJECTED")) {
      return new RejectedPayloadException("payload refused by the JVM-wide serial filter"
          + " (jdk.serialFilter): " + e.getMessage(), e);
    }
    return new CodecException("decoding failed: " + e, e);
  }

  /** Resolves classes through a chosen loader, if there is one. */
  private static final class FilteredObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    FilteredObjectInputStream(byte[] bytes, ClassLoader loader) throws IOException {
      super(new ByteArrayInputStream(bytes));
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (loader == null) {
        return super.resolveClass(desc);
      }
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitives and classes the loader does not see
      }
    }
  }

  /**
   * Configures a {@link JdkCodec}. Not thread-safe; {@link #build()} copies the state.
   *
   * @since 0.1
   */
  public static final class Builder {
    private DecodeLimits limits = DecodeLimits.defaults();
    private final List<ClassNamePattern> deny = new ArrayList<>();
    private final List<ClassNamePattern> allow = new ArrayList<>();
    private ClassLoader classLoader;

    private Builder() {
      for (String p : DEFAULT_DENY) { // no lambda: built by every pool, in its user's cold JVM
        deny.add(new ClassNamePattern(p));
      }
    }

    /**
     * Sets the limits on depth, references, array length and size checked while decoding.
     *
     * @param limits the limits applied to every decode
     * @return this builder
     */
    public Builder limits(DecodeLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Adds allow patterns and switches to allow-list mode: decode then accepts only classes that
     * match them or {@link #BASE_ALLOW}. Syntax as in {@link ObjectInputFilter.Config}:
     * {@code com.acme.Foo}, {@code com.acme.*}, {@code com.acme.**}, {@code com.acme.Foo*}.
     *
     * @param patterns class name patterns
     * @return this builder
     * @throws IllegalArgumentException for a malformed pattern
     */
    public Builder allow(String... patterns) {
      for (String p : patterns) {
        allow.add(new ClassNamePattern(p));
      }
      return this;
    }

    /**
     * Adds deny patterns, checked before any allow pattern.
     *
     * @param patterns class name patterns, same syntax as {@link #allow}
     * @return this builder
     * @throws IllegalArgumentException for a malformed pattern
     */
    public Builder deny(String... patterns) {
      for (String p : patterns) {
        deny.add(new ClassNamePattern(p));
      }
      return this;
    }

    /**
     * Sets the class loader used to resolve the classes named in a payload.
     *
     * @param loader the loader that resolves classes while decoding; by default, the JDK's
     *     "latest user-defined loader" rule
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** {@return a new codec with this builder's settings} */
    public JdkCodec build() {
      return new JdkCodec(this);
    }
  }
}
