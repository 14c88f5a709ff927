package io.github.multiproc.ipc.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A serializable lambda's own encoding, used by {@link JdkCodec} instead of a JDK serialization
 * stream when the lambda captures nothing or only scalars. A task is nearly always such a lambda,
 * and JDK serialization is slow the first time a JVM uses it: a pool's first {@code map} paid
 * ~30 ms in the parent to write {@code x -> x * x} (object streams, class descriptors, and a SHA
 * digest for the default {@code serialVersionUID} of the captured-arguments array, which loads
 * the security providers) and again in the worker to read it. This form holds the same
 * {@link SerializedLambda} the JDK would write, read back through the capturing class's own
 * {@code $deserializeLambda$}, exactly as {@code SerializedLambda.readResolve} does:
 *
 * <pre>
 * offset  size  field
 *      0     1  MAGIC 0x4C ('L'; a JDK stream starts 0xAC 0xED)
 *      1     …  8 × modified UTF-8 (2-byte length + bytes): capturing class (binary name),
 *               functional interface class, its method name, its method signature,
 *               implementation class, its method name, its method signature,
 *               instantiated method type (the last seven in JVM internal form)
 *      …     4  implementation method kind (a {@code MethodHandleInfo.REF_*} value)
 *      …     4  captured argument count n
 *      …     …  n × (1-byte tag, value): NULL; INT int32; LONG int64; DOUBLE int64 bits;
 *               BOOLEAN 1 byte; UTF16 modified UTF-8 (tags of {@link FastPathTags})
 * </pre>
 *
 * <p>Decoding checks {@link SerializedLambda} and the capturing class against the codec's
 * {@link AllowRule}, the capturing class loaded without initialization, as the decode filter
 * checks them in a JDK stream, so a forged payload cannot make the receiver initialize a class it
 * would not have accepted; the other names are only compared by {@code $deserializeLambda$}. A lambda this form cannot carry (other captured values, a capturing
 * class in a module that is not open to this library) goes through JDK serialization as before.
 *
 * <p>Thread safety: stateless; safe from any thread.
 */
final class LambdaCodec {

  /** The first byte of this form. */
  static final byte MAGIC = 0x4C;

  private static final String DESERIALIZE = "$deserializeLambda$";

  private LambdaCodec() {}

  /**
   * Encodes a serializable lambda in this form, if it can be.
   *
   * @param value any value, or {@code null}
   * @return the bytes, or {@code null} if the value is not a lambda this form carries
   */
  static byte[] tryEncode(Object value) {
    if (value == null) {
      return null;
    }
    Class<?> type = value.getClass();
    if (!type.isHidden() || !type.isSynthetic()) {
      return null; // not a lambda proxy: the common case costs two flag reads
    }
    SerializedLambda lambda = serializedForm(value, type);
    if (lambda == null || !carriesCapturedArgs(lambda) || deserializer(lambda, type.getClassLoader()) == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(MAGIC);
      out.writeUTF(lambda.getCapturingClass().replace('/', '.'));
      out.writeUTF(lambda.getFunctionalInterfaceClass());
      out.writeUTF(lambda.getFunctionalInterfaceMethodName());
      out.writeUTF(lambda.getFunctionalInterfaceMethodSignature());
      out.writeUTF(lambda.getImplClass());
      out.writeUTF(lambda.getImplMethodName());
      out.writeUTF(lambda.getImplMethodSignature());
      out.writeUTF(lambda.getInstantiatedMethodType());
      out.writeInt(lambda.getImplMethodKind());
      out.writeInt(lambda.getCapturedArgCount());
      for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
        writeScalar(out, lambda.getCapturedArg(i));
      }
    } catch (UTFDataFormatException e) {
      return null; // a string over 65,535 bytes: JDK serialization carries it
    } catch (IOException e) {
      throw new CodecException("encoding a lambda failed: " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes this form.
   *
   * @param bytes a payload whose first byte is {@link #MAGIC}
   * @param rule the classes the receiver accepts
   * @param chosenLoader where the capturing class is found, or {@code null} for the thread's
   *     context class loader
   * @return the lambda
   * @throws RejectedPayloadException if the rule refuses the capturing class or the interface
   * @throws MissingClassException if a class cannot be found
   * @throws CodecException if the bytes are malformed or the capturing class refuses the lambda
   */
  static Object decode(byte[] bytes, AllowRule rule, ClassLoader chosenLoader) {
    ClassLoader loader = chosenLoader != null ? chosenLoader
        : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
        : LambdaCodec.class.getClassLoader();
    SerializedLambda lambda;
    Class<?> capturing;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      in.readByte(); // MAGIC, checked by the caller
      String capturingName = in.readUTF();
      capturing = checked(capturingName, rule, loader);
      String interfaceName = in.readUTF(); // a name the capturing class compares, as in a JDK stream
      String interfaceMethod = in.readUTF();
      String interfaceSignature = in.readUTF();
      String implClass = in.readUTF();
      String implMethod = in.readUTF();
      String implSignature = in.readUTF();
      String instantiated = in.readUTF();
      int kind = in.readInt();
      int count = in.readInt();
      if (count < 0 || count > bytes.length) {
        throw new CodecException("lambda payload declares " + count + " captured arguments in " + bytes.length + " bytes");
      }
      Object[] captured = new Object[count];
      for (int i = 0; i < count; i++) {
        captured[i] = readScalar(in);
      }
      if (in.available() != 0) {
        throw new CodecException("lambda payload has " + in.available() + " bytes after its last field");
      }
      lambda = new SerializedLambda(capturing, interfaceName, interfaceMethod, interfaceSignature, kind, implClass,
          implMethod, implSignature, instantiated, captured);
    } catch (IOException e) {
      throw new CodecException("decoding failed: the " + bytes.length + "-byte lambda payload is malformed: " + e, e);
    }
    Method deserializer = deserializer(lambda, loader);
    if (deserializer == null) {
      throw new CodecException("cannot read back a lambda of " + capturing.getName()
          + ": its " + DESERIALIZE + " is missing or not accessible to multiproc");
    }
    try {
      return deserializer.invoke(null, lambda);
    } catch (InvocationTargetException e) {
      throw new CodecException("the capturing class " + capturing.getName() + " refused the lambda "
          + lambda.getImplMethodName() + ": " + e.getCause(), e.getCause());
    } catch (IllegalAccessException | RuntimeException e) {
      throw new CodecException("cannot read back a lambda of " + capturing.getName() + ": " + e, e);
    }
  }

  private static Class<?> checked(String name, AllowRule rule, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingClassException(name, e);
    }
    for (Class<?> needed : new Class<?>[] {SerializedLambda.class, c}) {
      if (!rule.allows(needed)) {
        throw new RejectedPayloadException("payload refused by the decode filter: " + rule.refusal(needed),
            needed.getName(), null);
      }
    }
    return c;
  }

  private static SerializedLambda serializedForm(Object value, Class<?> type) {
    try {
      Method writeReplace = type.getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      return writeReplace.invoke(value) instanceof SerializedLambda s ? s : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not serializable, or its module is not open to us: JDK serialization decides
    }
  }

  private static Method deserializer(SerializedLambda lambda, ClassLoader loader) {
    try {
      Class<?> capturing = Class.forName(lambda.getCapturingClass().replace('/', '.'), false, loader);
      Method m = capturing.getDeclaredMethod(DESERIALIZE, SerializedLambda.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  private static boolean carriesCapturedArgs(SerializedLambda lambda) {
    for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
      Object a = lambda.getCapturedArg(i);
      if (a != null && !(a instanceof Integer || a instanceof Long || a instanceof Double || a instanceof Boolean
          || a instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static void writeScalar(DataOutputStream out, Object a) throws IOException {
    switch (a) {
      case null -> out.writeByte(FastPathTags.NULL);
      case Integer i -> {
        out.writeByte(FastPathTags.INT);
        out.writeInt(i);
      }
      case Long l -> {
        out.writeByte(FastPathTags.LONG);
        out.writeLong(l);
      }
      case Double d -> {
        out.writeByte(FastPathTags.DOUBLE);
        out.writeLong(Double.doubleToRawLongBits(d));
      }
      case Boolean b -> {
        out.writeByte(FastPathTags.BOOLEAN);
        out.writeBoolean(b);
      }
      case String s -> {
        out.writeByte(FastPathTags.UTF16);
        out.writeUTF(s);
      }
      default -> throw new IllegalStateException("not a scalar: " + a.getClass().getName());
    }
  }

  private static Object readScalar(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case FastPathTags.NULL -> null;
      case FastPathTags.INT -> in.readInt();
      case FastPathTags.LONG -> in.readLong();
      case FastPathTags.DOUBLE -> Double.longBitsToDouble(in.readLong());
      case FastPathTags.BOOLEAN -> in.readBoolean();
      case FastPathTags.UTF16 -> in.readUTF();
      default -> throw new CodecException("lambda payload has an unknown captured-argument tag " + tag);
    };
  }
}
