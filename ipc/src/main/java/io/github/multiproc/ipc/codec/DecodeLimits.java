package io.github.multiproc.ipc.codec;

/**
 * Bounds on what one decode may build, enforced by the {@link java.io.ObjectInputFilter} of
 * {@link JdkCodec} so that a corrupt or hostile payload is refused instead of exhausting memory
 * or stack.
 *
 * {@snippet :
 * DecodeLimits limits = DecodeLimits.defaults().withMaxArrayLength(1_000_000);
 * Codec codec = JdkCodec.builder().limits(limits).build();
 * }
 *
 * <p>Thread safety: immutable.
 *
 * @param maxDepth the deepest nesting of objects (graph depth), at least 1
 * @param maxReferences the most object references in one payload, at least 1
 * @param maxArrayLength the longest array, at least 0
 * @param maxBytes the most bytes one payload may take, at least 1
 * @since 0.1
 */
public record DecodeLimits(int maxDepth, long maxReferences, int maxArrayLength, long maxBytes) {

  /** Default {@link #maxDepth}: 1,000 (a linked list deeper than that blows the stack anyway). */
  public static final int DEFAULT_MAX_DEPTH = 1_000;
  /** Default {@link #maxReferences}: 10 million. */
  public static final long DEFAULT_MAX_REFERENCES = 10_000_000L;
  /** Default {@link #maxArrayLength}: 64 Mi elements. */
  public static final int DEFAULT_MAX_ARRAY_LENGTH = 64 << 20;
  /** Default {@link #maxBytes}: 64 MiB, the default maximum frame size. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  /**
   * Checks the limits.
   *
   * @param maxDepth at least 1
   * @param maxReferences at least 1
   * @param maxArrayLength at least 0
   * @param maxBytes at least 1
   */
  public DecodeLimits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be >= 1: maxDepth=" + maxDepth);
    }
    if (maxReferences < 1) {
      throw new IllegalArgumentException("maxReferences must be >= 1: maxReferences=" + maxReferences);
    }
    if (maxArrayLength < 0) {
      throw new IllegalArgumentException("maxArrayLength must be >= 0: maxArrayLength=" + maxArrayLength);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1: maxBytes=" + maxBytes);
    }
  }

  /** {@return the default limits} */
  public static DecodeLimits defaults() {
    return new DecodeLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_REFERENCES, DEFAULT_MAX_ARRAY_LENGTH,
        DEFAULT_MAX_BYTES);
  }

  /**
   * Returns a copy of these limits with another maximum depth, the other limits unchanged.
   *
   * @param depth the new maximum depth
   * @return a copy with that maximum depth
   */
  public DecodeLimits withMaxDepth(int depth) {
    return new DecodeLimits(depth, maxReferences, maxArrayLength, maxBytes);
  }

  /**
   * Returns a copy of these limits with another maximum number of references, the other limits
   * unchanged.
   *
   * @param references the new maximum number of references
   * @return a copy with that maximum number of references
   */
  public DecodeLimits withMaxReferences(long references) {
    return new DecodeLimits(maxDepth, references, maxArrayLength, maxBytes);
  }

  /**
   * Returns a copy of these limits with another maximum array length, the other limits unchanged.
   *
   * @param length the new maximum array length
   * @return a copy with that maximum array length
   */
  public DecodeLimits withMaxArrayLength(int length) {
    return new DecodeLimits(maxDepth, maxReferences, length, maxBytes);
  }

  /**
   * Returns a copy of these limits with another maximum payload size, the other limits unchanged.
   *
   * @param bytes the new maximum payload size
   * @return a copy with that maximum payload size
   */
  public DecodeLimits withMaxBytes(long bytes) {
    return new DecodeLimits(maxDepth, maxReferences, maxArrayLength, bytes);
  }
}
