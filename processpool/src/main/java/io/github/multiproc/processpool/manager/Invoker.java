package io.github.multiproc.processpool.manager;

import io.github.multiproc.RemoteException;
import io.github.multiproc.ipc.codec.Codec;

/**
 * Makes one call on a shared object from any process: encodes the arguments here (one that does
 * not serialize fails here, naming its class and field path), sends the call, and returns the
 * result or throws what the method threw in the manager.
 *
 * <p><b>Exceptions.</b> A method's exception comes back as itself when the caller may throw it
 * (unchecked, or a checked exception the method declares) and its class decodes here: its stack
 * trace is the remote one, and a suppressed {@link ManagerCallException} carries the caller's.
 * Otherwise a {@link ManagerCallException} names the object and method, with the remote
 * exception (or its {@link RemoteException} stand-in) as its cause.
 *
 * <p>Stateless and thread-safe.
 */
final class Invoker {

  private Invoker() {}

  /**
   * Calls a method of a shared object.
   *
   * @param target the object
   * @param method the method's index in the object's table, or {@link CallWire#APPLY}
   * @param what the method's name, for messages
   * @param args its arguments
   * @param declared the checked exceptions the method declares
   * @param results the codec that decodes the result
   * @return the result
   * @throws Throwable what the method threw in the manager, as described above
   */
  static Object call(Target target, int method, String what, Object[] args, Class<?>[] declared, Codec results)
      throws Throwable {
    CallWire.Encoded call = CallWire.encode(target.ref.id(), method, args, results);
    byte[] answer = target.clients.roundTrip(CallWire.call(call));
    CallWire.Outcome o = CallWire.read(answer, results);
    if (o.failure() != null) {
      throw rethrowable(o.failure(), declared, what + " on " + target.ref.describe());
    }
    return o.value();
  }

  /**
   * Calls a method whose declared exceptions are all unchecked.
   *
   * @return the result
   */
  static Object callUnchecked(Target target, int method, String what, Object[] args, Codec results) {
    try {
      return call(target, method, what, args, NONE, results);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new ManagerCallException(what + " on " + target.ref.describe() + " threw " + t, t); // cannot happen: nothing declared
    }
  }

  private static final Class<?>[] NONE = new Class<?>[0];

  /**
   * Chooses what the caller throws for a remote failure.
   *
   * @param remote what the method threw, decoded
   * @param declared the checked exceptions the caller may throw
   * @param where the method and object, for messages
   * @return the throwable to throw
   */
  static Throwable rethrowable(Throwable remote, Class<?>[] declared, String where) {
    boolean throwable = !(remote instanceof RemoteException)
        && (remote instanceof RuntimeException || remote instanceof Error || isDeclared(remote, declared));
    if (!throwable) {
      return new ManagerCallException(where + " threw " + remote, remote);
    }
    remote.addSuppressed(new ManagerCallException("rethrown at the caller of " + where, null));
    return remote;
  }

  private static boolean isDeclared(Throwable t, Class<?>[] declared) {
    for (Class<?> c : declared) {
      if (c.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
