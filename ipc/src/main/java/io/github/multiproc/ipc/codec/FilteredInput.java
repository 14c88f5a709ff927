package io.github.multiproc.ipc.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An {@link ObjectInputStream} behind a {@link DecodeFilter} (merged with the JVM-wide filter,
 * {@code jdk.serialFilter}, when there is one) and a {@link CollectionWork} bound, that resolves
 * classes through a chosen loader, if there is one. One instance per decode; not thread-safe.
 */
class FilteredInput extends ObjectInputStream {

  private final ClassLoader loader;
  private final CollectionWork work;

  /**
   * @param in the serialization stream, starting at its header
   * @param filter the decode's filter
   * @param loader resolves the classes the stream names, or {@code null} for the JDK's "latest
   *     user-defined loader" rule
   */
  FilteredInput(InputStream in, DecodeFilter filter, ClassLoader loader) throws IOException {
    super(in);
    this.loader = loader;
    this.work = new CollectionWork(filter.payloadBytes());
    enableResolveObject(true);
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    setObjectInputFilter(global == null ? filter : ObjectInputFilter.merge(filter, global));
  }

  /** Weighs every completed collection (see {@link CollectionWork}); never replaces an object. */
  @Override
  protected Object resolveObject(Object obj) throws IOException {
    work.completed(obj);
    return obj;
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
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
