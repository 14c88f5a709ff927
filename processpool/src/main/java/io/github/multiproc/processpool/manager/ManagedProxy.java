package io.github.multiproc.processpool.manager;

import java.io.ObjectStreamException;

/**
 * Implemented by every proxy of a registered interface that a {@link Manager} hands out
 * ({@link Manager#create}, {@link Manager#counter}): what makes it a small serializable handle.
 * Serialization calls {@link #writeReplace()}, which writes the proxy's address (the manager's
 * socket, its secret, the object's name and id) instead of the dynamic proxy class, so a proxy
 * travels in a task, a {@link io.github.multiproc.processpool.JvmProcess} job or a
 * {@link io.github.multiproc.ipc.Pipe} message under the default decode rule, and becomes a
 * working proxy again on arrival.
 *
 * <p>Thread safety: a proxy may be used by many threads at once.
 *
 * @since 0.2
 */
public interface ManagedProxy {

  /**
   * The serialization hook (called by {@link java.io.ObjectOutputStream}, not by user code).
   *
   * @return the proxy's serial form
   * @throws ObjectStreamException never in practice
   */
  Object writeReplace() throws ObjectStreamException;
}
