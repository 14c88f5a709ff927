package io.github.multiproc.processpool.manager;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a manager listens and the secret that admits a client: the part of every proxy that
 * lets it connect from any process. A capability, like a pipe handle: whoever holds it may call
 * the manager's objects, so {@link #toString()} never shows the secret. Immutable.
 *
 * @param name the manager's name, for messages
 * @param pid the manager's process id
 * @param door the path of the manager's Unix domain socket (in a directory of mode {@code 0700})
 * @param secret the 32 random bytes a client sends in its HELLO
 * @param allow class-name patterns the manager's results may contain beyond the default rule
 */
record ManagerAddress(String name, long pid, String door, byte[] secret, List<String> allow)
    implements Serializable {

  /** Length of the secret. */
  static final int SECRET_BYTES = 32;

  ManagerAddress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(door, "door");
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("secret must be " + SECRET_BYTES + " bytes: length=" + secret.length);
    }
    secret = secret.clone();
    allow = List.copyOf(allow);
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** {@return "manager 'name' (pid n)", for messages} */
  String describe() {
    return "manager '" + name + "' (pid " + pid + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManagerAddress a && a.pid == pid && a.door.equals(door) && Arrays.equals(a.secret, secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pid, door, Arrays.hashCode(secret));
  }

  @Override
  public String toString() {
    return "ManagerAddress[" + describe() + ", " + door + "]";
  }
}
