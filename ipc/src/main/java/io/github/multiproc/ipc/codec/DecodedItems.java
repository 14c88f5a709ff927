package io.github.multiproc.ipc.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of {@link Codec#decodeAll}: for each item of a sequence, its value or why it could
 * not be decoded. One bad item never hides the others.
 *
 * {@snippet :
 * DecodedItems items = codec.decodeAll(bytes, 3);
 * Object second = items.failed(1) ? null : items.value(1);
 * Object[] all = items.valuesOrThrow();   // or the first failure, thrown
 * }
 *
 * <p>Thread safety: filled by the decoding thread, then not changed; safe to share once handed
 * over through any happens-before edge.
 *
 * @since 0.2
 */
public final class DecodedItems {

  private final Object[] values;
  private ItemDecodeException[] failures; // made on the first failure

  /**
   * Creates an outcome with room for {@code size} items, all {@code null} values.
   *
   * @param size the number of items, at least 0
   */
  public DecodedItems(int size) {
    this.values = new Object[size];
  }

  /**
   * Wraps values that all decoded.
   *
   * @param values the values; the array is kept, not copied
   * @return the outcome
   */
  public static DecodedItems of(Object[] values) {
    return new DecodedItems(Objects.requireNonNull(values, "values"), null);
  }

  private DecodedItems(Object[] values, ItemDecodeException[] failures) {
    this.values = values;
    this.failures = failures;
  }

  /**
   * Records item {@code i}'s value.
   *
   * @param i the position
   * @param value the value
   */
  public void set(int i, Object value) {
    values[i] = value;
  }

  /**
   * Records why item {@code i} did not decode; its value becomes {@code null}.
   *
   * @param i the position
   * @param failure the reason
   */
  public void fail(int i, ItemDecodeException failure) {
    Objects.requireNonNull(failure, "failure");
    if (failures == null) {
      failures = new ItemDecodeException[values.length];
    }
    failures[i] = failure;
    values[i] = null;
  }

  /** {@return the number of items} */
  public int size() {
    return values.length;
  }

  /**
   * Returns item {@code i}'s value.
   *
   * @param i the position
   * @return the value, {@code null} if it was null or failed
   */
  public Object value(int i) {
    return values[i];
  }

  /**
   * Returns whether item {@code i} failed to decode.
   *
   * @param i the position
   * @return whether it failed
   */
  public boolean failed(int i) {
    Objects.checkIndex(i, values.length);
    return failures != null && failures[i] != null;
  }

  /**
   * Returns why item {@code i} failed.
   *
   * @param i the position
   * @return the failure, or {@code null} if it decoded
   */
  public ItemDecodeException failure(int i) {
    Objects.checkIndex(i, values.length);
    return failures == null ? null : failures[i];
  }

  /** {@return whether every item decoded} */
  public boolean allDecoded() {
    return failures == null || Arrays.stream(failures).allMatch(Objects::isNull);
  }

  /**
   * Returns the values, or throws the first failure.
   *
   * @return the values (the backing array)
   * @throws ItemDecodeException the first item's failure, if any item failed
   */
  public Object[] valuesOrThrow() {
    if (failures != null) {
      for (ItemDecodeException f : failures) {
        if (f != null) {
          throw f;
        }
      }
    }
    return values;
  }
}
