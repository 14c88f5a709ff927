package io.github.multiproc.processpool.manager;

/**
 * The manager's own object, id 0: opens shared objects by name. Internal.
 */
interface Registry {

  /**
   * Returns the object of that name, creating it with its type's factory if there is none.
   *
   * @param type the binary name of the interface it is served through
   * @param name its name
   * @return {@code {id, fingerprint of the interface's method table}}
   * @throws IllegalArgumentException if an object of that name has another type, or the type
   *     was never registered
   */
  int[] open(String type, String name);
}
