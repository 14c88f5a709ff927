package io.github.multiproc.ipc.shm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where named segments live and how names map to files: {@code /dev/shm/multiproc-<name>} on
 * Linux, {@code <java.io.tmpdir>/multiproc-<name>} elsewhere. Every file we create starts with
 * {@link #PREFIX}, so leak checks and the orphan sweep find them all.
 */
final class ShmDirectory {

  /** File name prefix of every segment. */
  static final String PREFIX = "multiproc-";

  /** Prefix of a segment still being created (name: {@code multiproc-.tmp-<pid>-<random>}). */
  static final String TEMP_PREFIX = PREFIX + ".tmp-";

  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private ShmDirectory() {}

  /** The directory for segments on this machine. */
  static Path directory() {
    Path devShm = Path.of("/dev/shm");
    if (Files.isDirectory(devShm) && Files.isWritable(devShm)) {
      return devShm;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  static Path pathOf(String name) {
    return directory().resolve(PREFIX + checkName(name));
  }

  static String checkName(String name) {
    if (name == null || !VALID_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "segment name must be 1-200 characters of [A-Za-z0-9._-], not starting with '.' or '-': name="
              + name);
    }
    return name;
  }
}
