package io.github.multiproc.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Python interpreter the suite compares against, as a path to the interpreter itself. The
 * {@code python3} found on {@code PATH} may be a version manager's shim (pyenv's is a shell script
 * that works out the version and then execs the interpreter): on this machine it added ~230 ms to
 * every Python start, which is the shim's cost, not Python's, and more than doubled Python's
 * whole-program time. So the suite asks that {@code python3} once for {@code sys.executable} and
 * starts that.
 *
 * {@snippet :
 * String python = PythonExecutable.resolve(); // e.g. /root/.pyenv/versions/3.11.7/bin/python3
 * }
 *
 * <p>Thread safety: stateless; the answer is computed once per JVM.
 */
final class PythonExecutable {

  private static final String RESOLVED = ask();

  private PythonExecutable() {}

  /** {@return the interpreter's own path, or {@code python3} when it cannot be found} */
  static String resolve() {
    return RESOLVED;
  }

  private static String ask() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
      String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int code = p.waitFor();
      return code == 0 && !path.isEmpty() && Files.isExecutable(Path.of(path)) ? path : "python3";
    } catch (IOException e) {
      return "python3";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "python3";
    }
  }
}
