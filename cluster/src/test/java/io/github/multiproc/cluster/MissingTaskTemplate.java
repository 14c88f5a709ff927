package io.github.multiproc.cluster;

import io.github.multiproc.Task;

/**
 * The template of a task class that only the test's own class loader can see: the test renames
 * it with the ClassFile API and loads the copy in a child loader, so member JVMs (and the
 * embedded member's loader) cannot find it.
 */
public final class MissingTaskTemplate implements Task<Object, Object> {
  // Object, not Integer: no bridge method, so nothing in the code refers to the class by name
  @Override
  public Object apply(Object x) {
    return x;
  }
}
