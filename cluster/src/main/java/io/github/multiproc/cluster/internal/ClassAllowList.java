package io.github.multiproc.cluster.internal;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The classes a cluster JVM agrees to deserialize: binary-name prefixes such as
 * {@code "com.acme.jobs."}, the same list given to Hazelcast's Java deserialization filter.
 *
 * <p>Arrays are judged by their component type and primitives are always allowed. The filter also
 * bounds graph depth, so a hostile stream cannot exhaust the stack.
 *
 * <p>Immutable and thread-safe; each {@link #newFilter()} is for one stream.
 */
public final class ClassAllowList {

  /** Graph depth allowed in a chunk stream; far beyond any real task or input. */
  static final long MAX_DEPTH = 200;

  private final Predicate<String> allowed;
  private final String description;

  private ClassAllowList(Predicate<String> allowed, String description) {
    this.allowed = allowed;
    this.description = description;
  }

  /**
   * Creates the allow-list of some prefixes.
   *
   * @param prefixes binary-name prefixes; an empty list allows every class (depth limit only)
   * @return the allow-list
   */
  public static ClassAllowList ofPrefixes(List<String> prefixes) {
    List<String> copy = List.copyOf(Objects.requireNonNull(prefixes, "prefixes"));
    return new ClassAllowList(copy.isEmpty() ? name -> true
        : name -> copy.stream().anyMatch(name::startsWith), copy.isEmpty() ? "any class" : copy.toString());
  }

  /**
   * Creates the allow-list of a predicate, such as a Hazelcast member's own filter.
   *
   * @param allowed says whether a binary class name may be deserialized
   * @param description what the predicate allows, for messages
   * @return the allow-list
   */
  public static ClassAllowList of(Predicate<String> allowed, String description) {
    return new ClassAllowList(Objects.requireNonNull(allowed, "allowed"), description);
  }

  /**
   * Whether a class may be deserialized.
   *
   * @param className a binary class name
   * @return true if it is allowed
   */
  public boolean allows(String className) {
    return allowed.test(className);
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * Creates a filter for one stream that remembers the first class it rejected, so the error can
   * name it.
   *
   * @return the filter
   */
  public RecordingFilter newFilter() {
    return new RecordingFilter();
  }

  /** An {@link ObjectInputFilter} that records the first rejected class. Used by one stream. */
  public final class RecordingFilter implements ObjectInputFilter {
    private final AtomicReference<String> rejected = new AtomicReference<>();

    private RecordingFilter() {}

    @Override
    public Status checkInput(FilterInfo info) {
      if (info.depth() > MAX_DEPTH) {
        return Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c == null) {
        return Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || allows(c.getName())) {
        return Status.ALLOWED;
      }
      rejected.compareAndSet(null, c.getName());
      return Status.REJECTED;
    }

    /** {@return the first class this filter rejected, or null} */
    public String rejectedClass() {
      return rejected.get();
    }
  }
}
