package io.github.multiproc.processpool.internal.launch;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered set of absolute class-path entries, built from path strings and {@code file:} URLs.
 * Relative entries are resolved against the parent's working directory ({@code user.dir}), so a
 * worker started in another directory finds the same files; the first occurrence of an entry
 * keeps its place, as on a {@code java -cp} line.
 *
 * {@snippet :
 * ClassPathEntries cp = new ClassPathEntries();
 * cp.addPathList("target/classes:lib/a.jar");       // -> /home/me/app/target/classes, /home/me/app/lib/a.jar
 * cp.addUrl(new URL("file:/opt/plugins/p.jar"));
 * cp.toList();
 * }
 *
 * <p>Not thread-safe: built by one thread, then read.
 */
final class ClassPathEntries {

  private final Set<String> entries = new LinkedHashSet<>();

  /**
   * Adds the entries of a path list such as {@code java.class.path}. An empty element means the
   * working directory, as it does for the JVM.
   *
   * @param pathList entries separated by {@link File#pathSeparator}; null or empty adds nothing
   */
  void addPathList(String pathList) {
    if (pathList == null || pathList.isEmpty()) {
      return;
    }
    for (String entry : pathList.split(File.pathSeparator, -1)) {
      add(Path.of(entry.isEmpty() ? "." : entry));
    }
  }

  /**
   * Adds one entry.
   *
   * @param entry a file or directory, absolute or relative to {@code user.dir}
   */
  void add(Path entry) {
    entries.add(absolute(entry).toString());
  }

  /**
   * Adds a URL if it names a local file or directory ({@code file:}, or a {@code jar:file:...!/}
   * root); other URLs cannot be put on a worker's command line and are ignored.
   *
   * @param url a class loader's URL
   * @return whether it was a local file
   */
  boolean addUrl(URL url) {
    Optional<Path> path = localPath(url);
    path.ifPresent(this::add);
    return path.isPresent();
  }

  /**
   * Tells whether an entry is in this set.
   *
   * @param entry a path, absolute or relative to {@code user.dir}
   * @return whether it is
   */
  boolean contains(Path entry) {
    return entries.contains(absolute(entry).toString());
  }

  /** {@return whether there is no entry} */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** {@return the entries, in order} */
  List<String> toList() {
    return List.copyOf(new ArrayList<>(entries));
  }

  /**
   * Returns the local file a URL names.
   *
   * @param url a {@code file:} URL, or a {@code jar:file:...!/} URL of a jar's root
   * @return the file, or empty for any other URL
   */
  static Optional<Path> localPath(URL url) {
    if (url == null) {
      return Optional.empty();
    }
    if ("file".equals(url.getProtocol())) {
      return fileUrlPath(url.getPath());
    }
    String inner = url.getPath();
    if ("jar".equals(url.getProtocol()) && inner.startsWith("file:") && inner.endsWith("!/")
        && inner.indexOf("!/") == inner.length() - 2) {
      return fileUrlPath(inner.substring("file:".length(), inner.length() - 2));
    }
    return Optional.empty();
  }

  /**
   * Turns the path part of a {@code file:} URL into a path, percent-decoded.
   *
   * @param urlPath such as {@code /opt/my%20app/a.jar}
   * @return the absolute path, or empty if it is not one
   */
  static Optional<Path> fileUrlPath(String urlPath) {
    try {
      return Optional.of(Path.of(URI.create("file:" + urlPath)).toAbsolutePath());
    } catch (IllegalArgumentException e) {
      // a loader that did not encode its URL (spaces as is): decode what is there
      String decoded = URLDecoder.decode(urlPath.replace("+", "%2B"), StandardCharsets.UTF_8);
      return decoded.startsWith("/") ? Optional.of(Path.of(decoded)) : Optional.empty();
    }
  }

  private static Path absolute(Path entry) {
    return entry.isAbsolute() ? entry.normalize()
        : Path.of(System.getProperty("user.dir")).resolve(entry).toAbsolutePath().normalize();
  }
}
