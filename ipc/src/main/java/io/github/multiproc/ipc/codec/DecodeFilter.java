package io.github.multiproc.ipc.codec;

import java.io.ObjectInputFilter;
import java.util.List;

/**
 * The {@link ObjectInputFilter} of one decode: checks {@link DecodeLimits}, then the deny list,
 * then (in allow-list mode) the allow list, and remembers why it rejected, so that the codec can
 * throw a message that states the rule and the value. One instance per decode; not thread-safe.
 */
final class DecodeFilter implements ObjectInputFilter {

  private final DecodeLimits limits;
  private final List<ClassNamePattern> deny;
  private final List<ClassNamePattern> allow; // empty: every class not denied is allowed
  private String rejection;

  DecodeFilter(DecodeLimits limits, List<ClassNamePattern> deny, List<ClassNamePattern> allow) {
    this.limits = limits;
    this.deny = deny;
    this.allow = allow;
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > limits.maxDepth()) {
      return reject("object graph depth must be <= maxDepth=" + limits.maxDepth()
          + ": depth=" + info.depth());
    }
    if (info.references() > limits.maxReferences()) {
      return reject("object references must be <= maxReferences=" + limits.maxReferences()
          + ": references=" + info.references());
    }
    if (info.arrayLength() > limits.maxArrayLength()) {
      return reject("array length must be <= maxArrayLength=" + limits.maxArrayLength()
          + ": arrayLength=" + info.arrayLength());
    }
    if (info.streamBytes() > limits.maxBytes()) {
      return reject("payload bytes must be <= maxBytes=" + limits.maxBytes()
          + ": streamBytes=" + info.streamBytes());
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive()) {
      return Status.ALLOWED;
    }
    String name = c.getName();
    for (ClassNamePattern p : deny) {
      if (p.matches(name)) {
        return reject("class " + name + " is refused by deny pattern '" + p + "'");
      }
    }
    if (allow.isEmpty()) {
      return Status.ALLOWED;
    }
    for (ClassNamePattern p : allow) {
      if (p.matches(name)) {
        return Status.ALLOWED;
      }
    }
    return reject("class " + name + " must match an allow pattern " + allow
        + " (add it with JdkCodec.builder().allow(...))");
  }

  private Status reject(String why) {
    if (rejection == null) {
      rejection = why;
    }
    return Status.REJECTED;
  }

  /** {@return why the filter rejected, or {@code null} if it did not} */
  String rejection() {
    return rejection;
  }
}
