package io.github.multiproc.cluster;

import io.github.multiproc.TaskFailedException;
import java.io.Serial;
import java.util.Objects;

/**
 * A cluster member could not run this input because it cannot load, or refuses to deserialize, a
 * class the task or the input needs. It is a deployment fault: the task classes must be on every
 * member's class path, in the caller's version, and their packages in the members' allow-list.
 *
 * <p>The message says which class, which member, and what to do.
 *
 * @since 0.1
 */
public class MemberClassMissingException extends TaskFailedException {

  @Serial private static final long serialVersionUID = 1L;

  /** The binary name of the class the member could not use. */
  private final String className;
  /** The member, described with its address and pid. */
  private final String member;
  /** Whether the member refused the class (allow-list) rather than missed it. */
  private final boolean refused;

  /**
   * Creates the exception.
   *
   * @param index the input's position, or {@link #NO_INDEX}
   * @param className the class at fault
   * @param member the member that reported it
   * @param refused true if the member has the class but its allow-list refuses it
   */
  public MemberClassMissingException(long index, String className, String member, boolean refused) {
    super(index, describe(index, className, member, refused), null);
    this.className = Objects.requireNonNull(className, "className");
    this.member = Objects.requireNonNull(member, "member");
    this.refused = refused;
  }

  /** {@return the binary name of the class at fault} */
  public String className() {
    return className;
  }

  /** {@return the member that reported it} */
  public String member() {
    return member;
  }

  /** {@return whether the member refused the class (allow-list) rather than lacked it} */
  public boolean refused() {
    return refused;
  }

  private static String describe(long index, String className, String member, boolean refused) {
    String what = index == NO_INDEX ? "the job" : "input #" + index;
    if (refused) {
      return "cluster member " + member + " refused to deserialize class " + className + " for " + what
          + ": it is not in the member's allow-list; add its package to the allow-list of every member"
          + " (ClusterMember --allow " + packageOf(className) + ", or ClusterPool.builder().allowClasses(\""
          + packageOf(className) + "\") for embedded members) and restart them";
    }
    return "cluster member " + member + " cannot load class " + className + ", which " + what
        + " needs: put the jar that holds it on the class path of every cluster member, in the version"
        + " this JVM uses, and restart the members";
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(0, dot + 1);
  }
}
