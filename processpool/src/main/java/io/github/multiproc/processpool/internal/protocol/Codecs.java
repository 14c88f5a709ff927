package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Recreates the parent's {@link Codec} in a worker from its class name: the worker calls the
 * class's public static {@code create()} method if it has one, otherwise its public no-argument
 * constructor, and then {@link Codec#trustingSender()}: a worker decodes only what its own parent
 * sent (the task, its inputs), so it takes any class but the deny list, while the parent decodes
 * what workers send behind its allow rule.
 */
public final class Codecs {

  private Codecs() {}

  /**
   * Instantiates a codec by class name.
   *
   * @param className the codec's binary class name
   * @return a new codec
   * @throws IllegalArgumentException naming the class and the rule it breaks
   */
  public static Codec byName(String className) {
    if (JdkCodec.class.getName().equals(className)) {
      return JdkCodec.create().trustingSender();
    }
    try {
      Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      try {
        Method create = type.getMethod("create");
        if (Modifier.isStatic(create.getModifiers()) && Codec.class.isAssignableFrom(create.getReturnType())) {
          return ((Codec) create.invoke(null)).trustingSender();
        }
      } catch (NoSuchMethodException e) {
        // fall through to the constructor
      }
      return ((Codec) type.getConstructor().newInstance()).trustingSender();
    } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException
        | InstantiationException | InvocationTargetException | ClassCastException e) {
      throw new IllegalArgumentException("a worker codec must be a public class on the worker's class path "
          + "with a public static create() method or a public no-argument constructor: codec=" + className, e);
    }
  }
}
