package io.github.multiproc.processpool.manager;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The methods a manager serves for one interface, numbered: a call names its method by its
 * index here, which both sides compute the same way from the same class (every public instance
 * method of the interface, inherited ones included, one per name and parameter types, sorted
 * by that signature). {@link #fingerprint()} hashes the sorted signatures, so a caller whose
 * interface differs from the manager's finds out when it opens the object, not by calling the
 * wrong method.
 *
 * <p>Thread safety: immutable; {@link #of} caches one table per class.
 */
final class MethodTable {

  private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
    @Override
    protected MethodTable computeValue(Class<?> type) {
      return new MethodTable(type);
    }
  };

  private final Class<?> type;
  private final Method[] methods;
  private final Map<String, Integer> bySignature = new HashMap<>();
  private final int fingerprint;

  private MethodTable(Class<?> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException("a manager serves objects through an interface: " + type.getName()
          + " is a class");
    }
    this.type = type;
    Map<String, Method> unique = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      String sig = signature(m);
      Method seen = unique.get(sig);
      // of two methods with one signature keep the most specific declaration (covariant returns)
      if (seen == null || seen.getDeclaringClass().isAssignableFrom(m.getDeclaringClass())) {
        unique.put(sig, m);
      }
    }
    List<String> sigs = new ArrayList<>(unique.keySet());
    sigs.sort(Comparator.naturalOrder());
    methods = new Method[sigs.size()];
    for (int i = 0; i < methods.length; i++) {
      methods[i] = unique.get(sigs.get(i));
      bySignature.put(sigs.get(i), i);
    }
    fingerprint = String.join(";", sigs).hashCode();
  }

  /**
   * The table of an interface.
   *
   * @param type the interface
   * @return its table
   * @throws IllegalArgumentException if it is not an interface
   */
  static MethodTable of(Class<?> type) {
    return TABLES.get(type);
  }

  /** {@return a method's signature: its name and its parameters' binary names} */
  static String signature(Method m) {
    return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
        .collect(Collectors.joining(",", "(", ")"));
  }

  /**
   * The index of a method with the signature of {@code m} (which may be declared by a
   * super-interface).
   *
   * @param m the method
   * @return its index
   * @throws IllegalArgumentException if this interface has no such method
   */
  int indexOf(Method m) {
    Integer i = bySignature.get(signature(m));
    if (i == null) {
      throw new IllegalArgumentException(type.getName() + " has no method " + signature(m));
    }
    return i;
  }

  /**
   * The index of a method by name and parameter types.
   *
   * @param name the name
   * @param parameters the parameter types
   * @return its index
   */
  int indexOf(String name, Class<?>... parameters) {
    try {
      return indexOf(type.getMethod(name, parameters));
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no method " + name + Arrays.toString(parameters), e);
    }
  }

  /**
   * The method at an index.
   *
   * @param index the index a call sent
   * @return the method
   * @throws IllegalArgumentException if there is no such index
   */
  Method method(int index) {
    if (index < 0 || index >= methods.length) {
      throw new IllegalArgumentException("method index must be in [0, " + methods.length + ") for "
          + type.getName() + ": index=" + index);
    }
    return methods[index];
  }

  /** {@return the interface} */
  Class<?> type() {
    return type;
  }

  /** {@return the hash of the sorted signatures} */
  int fingerprint() {
    return fingerprint;
  }
}
