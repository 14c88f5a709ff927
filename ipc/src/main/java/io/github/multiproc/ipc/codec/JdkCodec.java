package io.github.multiproc.ipc.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The default {@link Codec}: JDK serialization, with an {@link java.io.ObjectInputFilter} on every
 * decode that allows only the classes of an {@link AllowRule} and bounds what the bytes may build.
 *
 * {@snippet :
 * Codec codec = JdkCodec.builder()
 *     .limits(DecodeLimits.defaults().withMaxBytes(8 << 20))
 *     .allow("com.acme.model.**")      // besides the default rule: JDK types, records, enums...
 *     .deny("com.acme.model.Secret")   // denied even though allowed above
 *     .build();
 * byte[] bytes = codec.encode(order);
 * Order back = codec.decode(bytes, Order.class);
 * }
 *
 * <p><b>Decoding is secure by default.</b> Only the classes of {@link AllowRule#defaults()} (JDK
 * value and collection types, arrays, records, enums, JDK exceptions, this library), plus the
 * patterns given to {@link Builder#allow}, to the system property {@value #ALLOW_PROPERTY}
 * (comma-separated, read when a builder is made) and the packages added with
 * {@link #allowingPackageOf}, are instantiated; any other class is refused with
 * {@link RejectedPayloadException} naming it and the line that allows it. {@link DecodeLimits}
 * bound depth, references, array lengths and bytes, and no array may take more than about four
 * times the payload's size (see {@link DecodeFilter}), so a hostile payload can neither run a
 * gadget class's code nor make the receiver allocate much more than it sent. A JVM-wide filter
 * ({@code jdk.serialFilter}) is honoured as well: it may reject what this codec would allow.
 *
 * <p><b>Encoding</b> fails on a value that cannot be serialized with
 * {@link NotSerializableValueException}, whose message names the class and the field path to it,
 * and never with a {@link StackOverflowError}: a graph whose encoding overflows the thread's stack
 * is refused with {@link GraphTooDeepException} if it is deeper than
 * {@link DecodeLimits#maxDepth()}, else encoded again on a thread with a big stack (see
 * {@link DeepGraphs}). A graph deeper than the limit that fits the encoding thread's stack (a
 * main thread has 8 MiB) is encoded, and refused by the receiver's depth limit with a message
 * that says so.
 *
 * <p><b>Lambdas.</b> A serializable lambda that captures nothing or only scalars is written in a
 * short form of its own and read back through its capturing class ({@link LambdaCodec}), under
 * the same allow rule: writing one through JDK serialization cost a cold JVM ~30 ms.
 *
 * <p><b>Sequences</b> ({@link #encodeAll}/{@link #decodeAll}) share one stream but decode item by
 * item: one bad item fails alone (layout in {@link ItemStreams}).
 *
 * <p>Thread safety: immutable and safe for concurrent use; each call uses its own streams.
 *
 * @since 0.1
 */
public final class JdkCodec implements Codec {

  /** System property with extra allow patterns, comma-separated, read by {@link #builder()}. */
  public static final String ALLOW_PROPERTY = "multiproc.codec.allow";

  /** Deserialization gadget packages refused by every {@code JdkCodec}: {@link AllowRule#DEFAULT_DENY}. */
  public static final List<String> DEFAULT_DENY = AllowRule.DEFAULT_DENY;

  /** The class patterns of the default rule: {@link AllowRule#BUILT_IN_ALLOW}. */
  public static final List<String> BASE_ALLOW = AllowRule.BUILT_IN_ALLOW;

  private final DecodeLimits limits;
  private final AllowRule rule;
  private final ClassLoader classLoader;
  /** Codecs that also allow a task's package, made once per task class. */
  private final ClassValue<JdkCodec> withPackage = new ClassValue<>() {
    @Override
    protected JdkCodec computeValue(Class<?> type) {
      AllowRule wider = rule.allowPackageOf(type);
      return wider == rule ? JdkCodec.this : new JdkCodec(limits, wider, classLoader);
    }
  };

  private JdkCodec(DecodeLimits limits, AllowRule rule, ClassLoader classLoader) {
    this.limits = limits;
    this.rule = rule;
    this.classLoader = classLoader;
  }

  /** {@return a codec with the default limits and rule (plus the patterns of {@value #ALLOW_PROPERTY})} */
  public static JdkCodec create() {
    return builder().build();
  }

  /** {@return a builder starting from the defaults and the patterns of {@value #ALLOW_PROPERTY}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the limits applied to every decode} */
  public DecodeLimits limits() {
    return limits;
  }

  /** {@return the classes this codec decodes} */
  public AllowRule rule() {
    return rule;
  }

  /** {@return this codec, also allowing the classes of {@code type}'s package (cached per class)} */
  @Override
  public JdkCodec allowingPackageOf(Class<?> type) {
    return withPackage.get(Objects.requireNonNull(type, "type"));
  }

  /** {@return this codec with {@link AllowRule#anyClass()}: for what a trusted sender sent} */
  @Override
  public JdkCodec trustingSender() {
    return new JdkCodec(limits, AllowRule.anyClass(), classLoader);
  }

  @Override
  public byte[] encode(Object value) {
    try {
      return encodeOnce(value);
    } catch (StackOverflowError e) {
      DeepGraphs.TooDeep deep = DeepGraphs.probe(value, limits.maxDepth());
      if (deep != null) {
        throw new GraphTooDeepException(SerializabilityInspector.describe(value), deep.className(),
            limits.maxDepth(), e);
      }
      return DeepGraphs.onBigStack(limits.maxDepth(), () -> encodeOnce(value));
    }
  }

  private byte[] encodeOnce(Object value) {
    byte[] lambda = LambdaCodec.tryEncode(value);
    if (lambda != null) {
      return lambda;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw CodecFailures.notSerializable(value, e);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("encoding a " + SerializabilityInspector.describe(value) + " failed: " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    checkSize(bytes);
    try {
      return decodeOnce(bytes);
    } catch (StackOverflowError e) {
      return DeepGraphs.onBigStack(limits.maxDepth(), () -> decodeOnce(bytes));
    }
  }

  private Object decodeOnce(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == LambdaCodec.MAGIC) {
      return LambdaCodec.decode(bytes, rule, classLoader);
    }
    DecodeFilter filter = new DecodeFilter(limits, rule, bytes.length);
    try (FilteredInput in = new FilteredInput(new ByteArrayInputStream(bytes), filter, classLoader)) {
      return in.readObject();
    } catch (VirtualMachineError e) {
      throw e; // a stack overflow is retried on a big stack by decode(); nothing else is ours to handle
    } catch (Throwable e) {
      // IOException, ClassNotFoundException, and whatever a class's own readObject threw,
      // ExceptionInInitializerError and other LinkageErrors included: the payload's fault
      throw CodecFailures.decodeFailure(filter, e, bytes.length);
    }
  }

  private void checkSize(byte[] bytes) {
    if (bytes.length > limits.maxBytes()) {
      throw new RejectedPayloadException("payload bytes must be <= maxBytes=" + limits.maxBytes()
          + ": length=" + bytes.length, null);
    }
  }

  @Override
  public byte[] encodeAll(List<?> values) {
    Objects.requireNonNull(values, "values");
    try {
      return encodeAllOnce(values);
    } catch (StackOverflowError e) {
      for (Object v : values) {
        DeepGraphs.TooDeep deep = DeepGraphs.probe(v, limits.maxDepth());
        if (deep != null) {
          throw new GraphTooDeepException(SerializabilityInspector.describe(v), deep.className(), limits.maxDepth(), e);
        }
      }
      return DeepGraphs.onBigStack(limits.maxDepth(), () -> encodeAllOnce(values));
    }
  }

  private static byte[] encodeAllOnce(List<?> values) {
    try {
      return ItemStreams.write(values);
    } catch (NotSerializableException e) {
      // the path starts at the item that fails, so that it never shows a misleading position
      for (Object v : values) {
        if (SerializabilityInspector.find(v).isPresent()) {
          throw CodecFailures.notSerializable(v, e);
        }
      }
      throw CodecFailures.notSerializable(new ArrayList<>(values), e);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("encoding " + values.size() + " values failed: " + e, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>An item that fails, for any reason including an {@link Error} thrown by its own
   * deserialization code, fails alone; the stream is restarted at the next item.
   */
  @Override
  public DecodedItems decodeAll(byte[] bytes, int count) {
    Objects.requireNonNull(bytes, "bytes");
    checkSize(bytes);
    ItemStreams.Layout layout = ItemStreams.layout(bytes, count);
    try {
      return decodeAllOnce(bytes, layout, false);
    } catch (StackOverflowError e) {
      return DeepGraphs.onBigStack(limits.maxDepth(), () -> decodeAllOnce(bytes, layout, true));
    }
  }

  private DecodedItems decodeAllOnce(byte[] bytes, ItemStreams.Layout layout, boolean bigStack) {
    int n = layout.ends().length;
    DecodedItems out = new DecodedItems(n);
    DecodeFilter filter = new DecodeFilter(limits, rule, bytes.length);
    ObjectStreamClass[] table;
    try {
      table = ItemStreams.readTable(bytes, layout, filter);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("the class descriptor table of " + n + " values is corrupt: " + e, e);
    }
    Class<?>[] resolved = new Class<?>[table.length];
    ItemStreams.ItemsIn in = null;
    for (int i = 0; i < n; i++) {
      try {
        if (in == null) {
          in = new ItemStreams.ItemsIn(ItemStreams.itemsFrom(bytes, layout, i), filter, classLoader, table, resolved);
        }
        out.set(i, in.readObject());
        in.takeFirstClass();
      } catch (StackOverflowError e) {
        if (!bigStack) {
          throw e; // the caller runs everything again on a big stack
        }
        out.fail(i, itemFailure(i, in, filter, e, bytes.length));
        in = null;
      } catch (Throwable e) {
        // Any throwable, Errors included: it came from this item's bytes or its class's own
        // deserialization code, and it must fail this item only. The stream restarts at the next.
        out.fail(i, itemFailure(i, in, filter, e, bytes.length));
        in = null;
      }
    }
    return out;
  }

  private static ItemDecodeException itemFailure(int i, ItemStreams.ItemsIn in, DecodeFilter filter,
      Throwable e, int length) {
    String className = in == null ? null : in.takeFirstClass();
    Throwable cause = e instanceof Error ? e : CodecFailures.decodeFailure(filter, e, length);
    filter.forget();
    return new ItemDecodeException(i, className, cause);
  }

  /**
   * Configures a {@link JdkCodec}. Not thread-safe; {@link #build()} copies the state.
   *
   * @since 0.1
   */
  public static final class Builder {
    private DecodeLimits limits = DecodeLimits.defaults();
    private AllowRule rule = AllowRule.defaults();
    private ClassLoader classLoader;

    private Builder() {
      String extra = System.getProperty(ALLOW_PROPERTY, "");
      for (String p : extra.split(",")) {
        if (!p.isBlank()) {
          try {
            rule = rule.allow(p.strip());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + ALLOW_PROPERTY + " must hold"
                + " comma-separated class patterns: " + e.getMessage(), e);
          }
        }
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
     * Replaces the allow rule (the patterns of {@value #ALLOW_PROPERTY} are not kept).
     *
     * @param rule the classes decode may instantiate
     * @return this builder
     */
    public Builder rule(AllowRule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Allows more classes besides the default rule. Syntax as in
     * {@link java.io.ObjectInputFilter.Config}: {@code com.acme.Foo}, {@code com.acme.*},
     * {@code com.acme.**}, {@code com.acme.Foo*}.
     *
     * @param patterns class name patterns
     * @return this builder
     * @throws IllegalArgumentException for a malformed pattern
     */
    public Builder allow(String... patterns) {
      rule = rule.allow(patterns);
      return this;
    }

    /**
     * Allows the classes of a class's package besides the default rule.
     *
     * @param type a class whose package is allowed
     * @return this builder
     */
    public Builder allowPackageOf(Class<?> type) {
      rule = rule.allowPackageOf(type);
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
      rule = rule.deny(patterns);
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
      return new JdkCodec(limits, rule, classLoader);
    }
  }
}
