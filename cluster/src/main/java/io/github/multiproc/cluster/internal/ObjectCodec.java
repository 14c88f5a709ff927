package io.github.multiproc.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * JDK serialization of whole units (a task, the items of a chunk, the values of a reply), each as
 * one stream, decoded behind a {@link ClassAllowList} and with the class loader of the caller's
 * choosing.
 *
 * <p>Stateless and thread-safe.
 */
public final class ObjectCodec {

  private ObjectCodec() {}

  /**
   * Serializes one object graph.
   *
   * @param o the graph's root, possibly null
   * @return its bytes
   * @throws UncheckedIOException wrapping a {@link NotSerializableException} if some object in
   *     the graph is not serializable
   */
  public static byte[] encode(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Deserializes one object graph.
   *
   * @param bytes what {@link #encode} made
   * @param loader the class loader that resolves classes
   * @param allowList the classes that may appear
   * @return the root
   * @throws DecodeException saying which class was missing or refused, if one was
   */
  public static Object decode(byte[] bytes, ClassLoader loader, ClassAllowList allowList) {
    ClassAllowList.RecordingFilter filter = allowList.newFilter();
    try (LoaderObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new DecodeException(DecodeException.Kind.MISSING_CLASS, e.getMessage(), e);
    } catch (InvalidClassException e) {
      String rejected = filter.rejectedClass();
      if (rejected != null) {
        throw new DecodeException(DecodeException.Kind.REFUSED_CLASS, rejected, e);
      }
      throw new DecodeException(DecodeException.Kind.CORRUPT, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(DecodeException.Kind.CORRUPT, String.valueOf(e), e);
    }
  }

  /** Finds the non-serializable class in an {@link #encode} failure, for messages. */
  static String notSerializableClass(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NotSerializableException nse) {
        return nse.getMessage();
      }
    }
    return null;
  }

  /** Resolves classes with a given loader (falling back to the platform's rules). */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // primitives and classes of the platform loader: let the default rules try
        }
      }
      return super.resolveClass(desc);
    }
  }

  /** Decoding failed; {@link #kind()} says how, {@link #detail()} names the class if one was at fault. */
  public static final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How decoding failed. */
    public enum Kind {
      /** A class in the stream is not on this JVM's class path. */
      MISSING_CLASS,
      /** A class in the stream is not in the allow-list. */
      REFUSED_CLASS,
      /** The stream is malformed, or a readObject method failed. */
      CORRUPT
    }

    /** How decoding failed. */
    private final Kind kind;
    /** The class concerned, or what was wrong. */
    private final String detail;

    DecodeException(Kind kind, String detail, Throwable cause) {
      super(kind + ": " + detail, cause);
      this.kind = kind;
      this.detail = detail;
    }

    /** {@return how decoding failed} */
    public Kind kind() {
      return kind;
    }

    /** {@return the missing or refused class name, or a description of the corruption} */
    public String detail() {
      return detail;
    }
  }
}
