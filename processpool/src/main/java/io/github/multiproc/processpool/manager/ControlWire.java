package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The messages between a manager and its owner over their control pipe (raw bytes, see
 * {@code docs/protocol.md} §5): the manager's READY (the UTF-8 path of its door), the owner's
 * REGISTER (a {@link Registration}, JDK-serialized: the owner is the manager's parent, so the
 * manager decodes it as a worker decodes its task) and the manager's answer to it (empty: done;
 * else the UTF-8 reason). The owner closing its end, or dying, ends the manager.
 */
final class ControlWire {

  private ControlWire() {}

  /**
   * A type the owner registers.
   *
   * @param type the interface
   * @param factory makes its objects
   */
  record Registration(Class<?> type, SharedSupplier<?> factory) implements Serializable {}

  /** {@return the owner's codec for a registration} */
  static Codec ownerCodec() {
    return JdkCodec.create();
  }

  /**
   * The manager's codec for what its owner sends.
   *
   * @param loader the manager's class loader
   * @return a codec that trusts the owner
   */
  static Codec managerCodec(ClassLoader loader) {
    return JdkCodec.builder().classLoader(loader).build().trustingSender();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
