package io.github.multiproc.processpool.internal.parent;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A 128-bit hash of strings for cache file names: two independent 64-bit multiply-xorshift
 * lanes over the UTF-8 bytes, with a separator between strings. Not cryptographic, and need not be.
 */
final class Hash128 {
  private long a = 0x9E3779B97F4A7C15L;
  private long b = 0xC2B2AE3D27D4EB4FL;

  Hash128 add(String s) {
    for (byte x : (s + "\n").getBytes(StandardCharsets.UTF_8)) {
      a = (a ^ (x & 0xff)) * 0x100000001B3L;
      a ^= a >>> 29;
      b = (b + (x & 0xff)) * 0xFF51AFD7ED558CCDL;
      b ^= b >>> 32;
    }
    return this;
  }

  String hex() {
    return HexFormat.of().toHexDigits(mix(a)) + HexFormat.of().toHexDigits(mix(b ^ a));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
