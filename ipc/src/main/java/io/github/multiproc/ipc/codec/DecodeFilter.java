package io.github.multiproc.ipc.codec;

import java.io.ObjectInputFilter;

/**
 * The {@link ObjectInputFilter} of one decode: checks {@link DecodeLimits}, the size of every
 * array against the bytes received, then the {@link AllowRule}, and remembers why it rejected,
 * so that the codec can throw a message that states the rule and the value.
 *
 * <p><b>Memory proportional to the bytes received.</b> An array header in a stream is a few
 * bytes whatever the length it declares, and collections ({@code ArrayList}, {@code HashMap},
 * {@code HashSet}, {@code ArrayDeque}...) size their backing arrays from a count in the stream
 * (the JDK passes those through this filter as arrays too). So an array is refused when
 * {@code length × elementBytes > ARRAY_BYTES_PER_PAYLOAD_BYTE × payloadBytes + ARRAY_BYTES_ALLOWANCE}
 * where {@code elementBytes} is 1 to 8 for primitives and 4 for references (the size of a
 * compressed reference; twice that without compressed oops). A legitimate array needs at least
 * one stream byte per element (a {@code null} is one byte, a primitive its own size), so every
 * honest payload passes, and a hostile one cannot make a decode allocate more than about four
 * times what it sent.
 *
 * <p><b>Interrupts.</b> The filter is consulted for every object and back-reference read, so a
 * decode stops at the next one once its thread is interrupted (the interrupt status stays set):
 * that is how a caller's deadline stops a payload that is merely slow to rebuild, whatever its
 * classes do in between.
 *
 * <p>One instance per decode; not thread-safe.
 */
final class DecodeFilter implements ObjectInputFilter {

  /** How many bytes of arrays a payload may allocate per byte it holds. */
  static final long ARRAY_BYTES_PER_PAYLOAD_BYTE = 4;
  /** Array bytes any payload may allocate besides, however short it is: 64 KiB. */
  static final long ARRAY_BYTES_ALLOWANCE = 64 << 10;
  /** Bytes of heap a reference element takes (compressed oops). */
  private static final int REFERENCE_BYTES = 4;

  private final DecodeLimits limits;
  private final AllowRule rule;
  private final long payloadBytes;
  private String rejection;
  private String rejectedClass;

  /**
   * @param limits the limits
   * @param rule the classes that may be decoded
   * @param payloadBytes the length of the whole payload being decoded
   */
  DecodeFilter(DecodeLimits limits, AllowRule rule, long payloadBytes) {
    this.limits = limits;
    this.rule = rule;
    this.payloadBytes = payloadBytes;
  }

  /** {@return the length of the payload this filter judges} */
  long payloadBytes() {
    return payloadBytes;
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (Thread.currentThread().isInterrupted()) {
      return reject("the decoding thread was interrupted (a caller's decode deadline passed, or"
          + " it was cancelled)");
    }
    if (info.depth() > limits.maxDepth()) {
      return reject("object graph depth must be <= maxDepth=" + limits.maxDepth()
          + ": depth=" + info.depth() + " (the graph is too deep)");
    }
    if (info.references() > limits.maxReferences()) {
      return reject("object references must be <= maxReferences=" + limits.maxReferences()
          + ": references=" + info.references());
    }
    if (info.streamBytes() > limits.maxBytes()) {
      return reject("payload bytes must be <= maxBytes=" + limits.maxBytes()
          + ": streamBytes=" + info.streamBytes());
    }
    Class<?> c = info.serialClass();
    if (info.arrayLength() >= 0) {
      String why = checkArray(c, info.arrayLength());
      if (why != null) {
        return reject(why);
      }
    }
    if (c == null) {
      return Status.UNDECIDED;
    }
    String refusal = rule.refusal(c);
    if (refusal != null && rejection == null) {
      Class<?> k = c;
      while (k.isArray()) {
        k = k.getComponentType();
      }
      rejectedClass = k.getName();
    }
    return refusal == null ? Status.ALLOWED : reject(refusal);
  }

  private String checkArray(Class<?> arrayType, long length) {
    if (length > limits.maxArrayLength()) {
      return "array length must be <= maxArrayLength=" + limits.maxArrayLength() + ": arrayLength=" + length;
    }
    Class<?> component = arrayType == null ? Object.class : arrayType.getComponentType();
    long bytes = length * elementBytes(component);
    long budget = ARRAY_BYTES_PER_PAYLOAD_BYTE * payloadBytes + ARRAY_BYTES_ALLOWANCE;
    if (bytes > budget) {
      return "an array of " + length + " " + component.getName() + " (" + bytes + " bytes) must fit "
          + ARRAY_BYTES_PER_PAYLOAD_BYTE + " x the " + payloadBytes + "-byte payload + "
          + ARRAY_BYTES_ALLOWANCE + " bytes = " + budget + " bytes: the payload declares far more"
          + " elements than it holds";
    }
    return null;
  }

  private static int elementBytes(Class<?> component) {
    if (component == null || !component.isPrimitive()) {
      return REFERENCE_BYTES;
    }
    if (component == long.class || component == double.class) {
      return 8;
    }
    if (component == int.class || component == float.class) {
      return 4;
    }
    return component == char.class || component == short.class ? 2 : 1;
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

  /** {@return the class the rule refused, if that is why the filter rejected, or {@code null}} */
  String rejectedClass() {
    return rejectedClass;
  }

  /** Forgets why the filter rejected, for the next item of a sequence. */
  void forget() {
    rejection = null;
    rejectedClass = null;
  }
}
