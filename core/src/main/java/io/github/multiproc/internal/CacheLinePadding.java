package io.github.multiproc.internal;

/**
 * 64 bytes of fields and nothing else: the first class of a hierarchy that keeps a hot field off
 * the cache line of the object header and of whatever the allocator placed before the object.
 * {@code byte} fields, not {@code long}s: since JDK 15 HotSpot fills gaps in a superclass's layout
 * with a subclass's fields, and 8 {@code long}s leave a 4-byte gap after a 12-byte header.
 *
 * <pre>
 *   | header (12) | 64 B of these fields | the subclass's fields ...
 * </pre>
 *
 * <p>Used by {@link CompletionQueue} and {@link CompletionSink}. Has no behaviour; not thread-related.
 */
@SuppressWarnings("unused")
abstract class CacheLinePadding {
  byte a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, a13, a14, a15;
  byte a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31;
  byte a32, a33, a34, a35, a36, a37, a38, a39, a40, a41, a42, a43, a44, a45, a46, a47;
  byte a48, a49, a50, a51, a52, a53, a54, a55, a56, a57, a58, a59, a60, a61, a62, a63;
}
