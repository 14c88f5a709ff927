package io.github.multiproc.ipc.codec;

import java.util.Objects;

/**
 * One entry of an allow or deny list, in the syntax of {@link java.io.ObjectInputFilter.Config}:
 * {@code com.acme.Foo} (exactly that class), {@code com.acme.*} (classes of package
 * {@code com.acme}), {@code com.acme.**} (that package and its sub-packages), {@code com.acme.Foo*}
 * (names starting with {@code com.acme.Foo}). Immutable.
 */
record ClassNamePattern(String pattern) {

  ClassNamePattern {
    Objects.requireNonNull(pattern, "pattern");
    String stem = pattern.endsWith("**") ? pattern.substring(0, pattern.length() - 2)
        : pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (pattern.isEmpty() || hasWhitespace(pattern)
        || stem.indexOf('*') >= 0 || pattern.endsWith("**") && !pattern.endsWith(".**")
        || pattern.startsWith("!") || pattern.contains(";")) {
      throw new IllegalArgumentException("class pattern must be a class name, optionally ending"
          + " in '*', '.*' or '.**', without '!', ';' or spaces: pattern='" + pattern + "'");
    }
  }

  /** A loop, not {@code chars().anyMatch}: every pool builds the default deny list in its user's cold JVM. */
  private static boolean hasWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  boolean matches(String className) {
    if (pattern.endsWith(".**")) {
      return className.startsWith(pattern.substring(0, pattern.length() - 2));
    }
    if (pattern.endsWith(".*")) {
      String pkg = pattern.substring(0, pattern.length() - 1);
      return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0;
    }
    if (pattern.endsWith("*")) {
      return className.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return className.equals(pattern);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
