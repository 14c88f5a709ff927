package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.FastPathCodec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The codecs of manager calls: {@link FastPathCodec} over {@link JdkCodec}, decoding under the
 * default {@link AllowRule} plus the manager's patterns (its builder's {@code allow}, the package
 * of the class that started it) and, at the manager, the packages of every registered
 * interface and factory; at a caller, the package of the proxy's interface. A client is admitted
 * by the secret, but what it sends is still decoded under a rule, as for every channel.
 *
 * <p>Thread safety: thread-safe; codecs are cached per address.
 */
final class ManagerCodecs {

  private static final ConcurrentHashMap<List<String>, Codec> CLIENT = new ConcurrentHashMap<>();

  private ManagerCodecs() {}

  /**
   * The caller's codec of a manager.
   *
   * @param address the manager
   * @return the codec; {@link Codec#allowingPackageOf} widens it for a proxy's interface
   */
  static Codec client(ManagerAddress address) {
    return CLIENT.computeIfAbsent(address.allow(), ManagerCodecs::build);
  }

  /**
   * A codec under the default rule plus patterns.
   *
   * @param allow the patterns
   * @return the codec
   */
  static Codec build(List<String> allow) {
    return FastPathCodec.wrapping(JdkCodec.builder().rule(AllowRule.defaults().allow(allow.toArray(String[]::new)))
        .build());
  }

  /** The manager's own codec, widened as types are registered. Thread-safe. */
  static final class Server {
    private volatile Codec codec;

    Server(List<String> allow, ClassLoader loader) {
      this.codec = FastPathCodec.wrapping(JdkCodec.builder()
          .rule(AllowRule.defaults().allow(allow.toArray(String[]::new))).classLoader(loader).build());
    }

    /** {@return the current codec} */
    Codec codec() {
      return codec;
    }

    /**
     * Also decodes the classes of a package from now on.
     *
     * @param type a class of that package
     */
    synchronized void allowPackageOf(Class<?> type) {
      codec = codec.allowingPackageOf(type);
    }
  }
}
