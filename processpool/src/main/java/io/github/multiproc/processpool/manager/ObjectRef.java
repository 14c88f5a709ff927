package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.Objects;

/**
 * One object a manager holds, as a proxy knows it: its manager, its id there (what calls name),
 * its name, the binary name of its service interface and that interface's method-table
 * fingerprint (so a caller whose class differs from the manager's is told at once). Immutable.
 *
 * @param manager the manager's address
 * @param id the object's id in the manager (0 is the manager's own registry)
 * @param name the object's name
 * @param type the binary name of the interface the manager serves it through
 * @param fingerprint {@link MethodTable#fingerprint()} of that interface in the manager
 */
record ObjectRef(ManagerAddress manager, int id, String name, String type, int fingerprint)
    implements Serializable {

  ObjectRef {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** {@return "'name' (Type) on manager 'm' (pid n)", for messages} */
  String describe() {
    return "'" + name + "' (" + type.substring(type.lastIndexOf('.') + 1) + ") on " + manager.describe();
  }

  @Override
  public String toString() {
    return "ObjectRef[" + describe() + "]";
  }
}
