package io.github.multiproc.ipc.codec;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Finds the shortest path from a value to an object that cannot be serialized, walking the graph
 * the way serialization does: {@code writeReplace} (so a serializable lambda shows its captured
 * arguments through {@link SerializedLambda}), non-transient instance fields of serializable
 * classes, array elements, and the elements of JDK collections and maps (whose fields are not
 * reflectively accessible). Breadth first, so the path reported is a shortest one.
 *
 * <p>Diagnosis only: run after serialization failed, so it costs nothing on the happy path. It is
 * best effort: custom {@code writeObject} methods may write other things than their fields.
 * Stateless; thread-safe.
 */
final class SerializabilityInspector {

  /** Gives up after this many objects, to bound the cost on huge graphs. */
  static final int MAX_VISITED = 1_000_000;

  private SerializabilityInspector() {}

  /** A node of the walk: an object and how it was reached. */
  private record Node(Object value, Node parent, String label) {
    String path() {
      List<String> segments = new ArrayList<>();
      for (Node n = this; n != null; n = n.parent) {
        segments.add(n.parent == null ? describe(n.value) : n.label + " (" + describe(n.value) + ")");
      }
      java.util.Collections.reverse(segments);
      return String.join(" -> ", segments);
    }
  }

  /**
   * A non-serializable object and the path to it.
   *
   * @param className the offending class
   * @param path the path from the value to it
   * @param refusal why it refused to be serialized (its {@code writeReplace} threw), or null if
   *     it simply is not {@code Serializable}
   */
  record Finding(String className, String path, String refusal) {
    Finding(String className, String path) {
      this(className, path, null);
    }
  }

  /** What {@link #writeReplace} returns when the method threw: the exception. */
  private record Refused(Throwable why) {}

  /**
   * Looks for a non-serializable object reachable from {@code root}.
   *
   * @param root the value to inspect
   * @return the first (shallowest) finding, or empty if none was found
   */
  static Optional<Finding> find(Object root) {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    ArrayDeque<Node> queue = new ArrayDeque<>();
    queue.add(new Node(root, null, null));
    while (!queue.isEmpty() && seen.size() < MAX_VISITED) {
      Node node = queue.poll();
      Object v = node.value;
      if (v == null || seen.put(v, Boolean.TRUE) != null) {
        continue;
      }
      if (!v.getClass().isArray() && !(v instanceof Serializable)) {
        return Optional.of(new Finding(v.getClass().getName(), node.path()));
      }
      if (!v.getClass().isArray() && writeReplace(v) instanceof Refused r) {
        return Optional.of(new Finding(v.getClass().getName(), node.path(), String.valueOf(r.why().getMessage())));
      }
      forEachChild(v, (label, child) -> queue.add(new Node(child, node, label)));
    }
    return Optional.empty();
  }

  /**
   * Calls {@code sink} with every object serialization would write as part of {@code v}, and how
   * it is reached: array elements, the captured arguments of a serializable lambda, the result of
   * {@code writeReplace}, the elements of JDK collections and maps, and the non-transient instance
   * fields of serializable classes. Primitives are skipped.
   *
   * @param v a non-null object
   * @param sink receives (label, child) pairs; children may be null
   */
  static void forEachChild(Object v, BiConsumer<String, Object> sink) {
    Class<?> c = v.getClass();
    if (c.isArray()) {
      if (!c.getComponentType().isPrimitive()) {
        int n = Array.getLength(v);
        for (int i = 0; i < n; i++) {
          sink.accept("[" + i + "]", Array.get(v, i));
        }
      }
      return;
    }
    if (!(v instanceof Serializable)) {
      return;
    }
    Object replaced = writeReplace(v);
    if (replaced instanceof Refused) {
      return;
    }
    if (replaced instanceof SerializedLambda lambda) {
      for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
        sink.accept("captured arg " + i, lambda.getCapturedArg(i));
      }
      return;
    }
    if (replaced != v) {
      sink.accept("writeReplace()", replaced);
      return;
    }
    if (v instanceof Collection<?> coll && !isOpen(c)) {
      int i = 0;
      for (Object e : coll) {
        sink.accept("[" + i++ + "]", e);
      }
      return;
    }
    if (v instanceof Map<?, ?> map && !isOpen(c)) {
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sink.accept("key " + i, e.getKey());
        sink.accept("value of key " + i++, e.getValue());
      }
      return;
    }
    for (Class<?> k = c; k != null && Serializable.class.isAssignableFrom(k); k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        int m = f.getModifiers();
        if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.getType().isPrimitive()
            || !f.trySetAccessible()) {
          continue;
        }
        try {
          sink.accept("field '" + f.getName() + "'", f.get(v));
        } catch (IllegalAccessException e) {
          // trySetAccessible said yes; cannot happen, and the field is skipped if it does
        }
      }
    }
  }

  /** Whether reflection may read the private fields of {@code c} from this module. */
  private static boolean isOpen(Class<?> c) {
    return c.getModule().isOpen(c.getPackageName(), SerializabilityInspector.class.getModule());
  }

  /** Applies {@code writeReplace} as serialization would; returns {@code v} if there is none. */
  private static Object writeReplace(Object v) {
    for (Class<?> c = v.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Method m = c.getDeclaredMethod("writeReplace");
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
            || !m.trySetAccessible()) {
          return v;
        }
        return m.invoke(v);
      } catch (NoSuchMethodException e) {
        // look in the superclass
      } catch (java.lang.reflect.InvocationTargetException e) {
        return new Refused(e.getCause()); // the object refuses to be serialized, and says why
      } catch (ReflectiveOperationException | RuntimeException e) {
        return v;
      }
    }
    return v;
  }

  /** Names an object's class; a lambda also by the interfaces it implements. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    Class<?> c = v.getClass();
    if (c.isHidden() && c.getName().contains("$$Lambda")) {
      return "lambda " + c.getName() + " (" + Arrays.stream(c.getInterfaces())
          .map(Class::getName).collect(Collectors.joining(", ")) + ")";
    }
    return c.getName();
  }
}
