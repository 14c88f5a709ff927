package io.github.multiproc.processpool.plain;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A host that loads a plugin through a child {@link URLClassLoader}, as servlet containers,
 * plugin hosts and {@code mvn exec:java} do. It uses only the JDK, so that {@code LaunchAnywhereIT}
 * can run it from a directory that holds nothing else.
 */
public final class ChildLoaderHost {

  private ChildLoaderHost() {}

  /**
   * Runs a plugin's {@code main}.
   *
   * @param args {@code <parent: platform|system> <plugin main class> <plugin class-path entry>...}
   * @throws Exception if the plugin fails
   */
  public static void main(String[] args) throws Exception {
    ClassLoader parent = "platform".equals(args[0]) ? ClassLoader.getPlatformClassLoader() : ClassLoader.getSystemClassLoader();
    URL[] urls = new URL[args.length - 2];
    for (int i = 2; i < args.length; i++) {
      urls[i - 2] = Path.of(args[i]).toUri().toURL();
    }
    try (URLClassLoader plugin = new URLClassLoader("plugin", urls, parent)) {
      Method main = plugin.loadClass(args[1]).getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    }
  }
}
