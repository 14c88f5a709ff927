package io.github.multiproc.processpool.manager;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;

/**
 * The serial form of a proxy of a registered interface: its {@link ObjectRef}, a record of this
 * library (allowed by every decode rule), instead of a dynamic proxy class (refused by the
 * default rule). On arrival it becomes a proxy again, with the interface loaded by the receiving
 * thread's context class loader, or this library's.
 *
 * @param ref the object
 */
record SerialProxy(ObjectRef ref) implements Serializable {

  @Serial
  private Object readResolve() throws ObjectStreamException {
    Class<?> type;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      type = Class.forName(ref.type(), false, loader == null ? SerialProxy.class.getClassLoader() : loader);
    } catch (ClassNotFoundException e) {
      java.io.InvalidClassException ice = new java.io.InvalidClassException(ref.type(),
          "the interface of shared object " + ref.describe() + " is not on this JVM's class path");
      ice.initCause(e);
      throw ice;
    }
    return ProxyHandler.create(ref, type);
  }
}
