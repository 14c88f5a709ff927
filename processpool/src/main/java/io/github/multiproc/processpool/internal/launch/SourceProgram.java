package io.github.multiproc.processpool.internal.launch;

import io.github.multiproc.processpool.WorkerStartException;
import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A program launched from source ({@code java QuickStart.java}, JEP 330/458), whose classes exist
 * only in the memory of the source launcher's class loader, so no worker JVM can load a task it
 * defines. The pool compiles the same source again, with the same compiler, into a temporary
 * directory that goes on the workers' class path; javac names lambdas deterministically, so a
 * serialized lambda of the running program finds its method in the recompiled class.
 *
 * <p>The source file comes from the launcher's {@code jdk.launcher.sourcefile} property. A
 * program whose file declares a package is compiled from its source root ({@code -sourcepath}),
 * so the other files of a multi-file program are compiled too. Compiled once per JVM; the
 * directory is deleted when this JVM exits. Programs launched with {@code --enable-preview} or
 * launcher-only options are compiled without them; such programs should be compiled with
 * {@code javac} and run from the class path instead.
 *
 * <p>Thread-safe: the one compilation is guarded by a lock.
 */
final class SourceProgram {

  /** Set by the JDK's source launcher to the launched file. */
  static final String SOURCE_FILE_PROPERTY = "jdk.launcher.sourcefile";

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Object LOCK = new Object();
  private static Path compiled; // guarded by LOCK: one compilation per JVM, reused by every pool

  private SourceProgram() {}

  /** {@return the source file this JVM was launched with, if it runs a program from source} */
  static Optional<Path> sourceFile() {
    String file = System.getProperty(SOURCE_FILE_PROPERTY);
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file).toAbsolutePath());
  }

  /**
   * Tells whether a class was compiled from source by the launcher: its code source is a
   * {@code .java} file.
   *
   * @param type a class
   * @return whether it lives only in the launcher's memory
   */
  static boolean isLaunchedFromSource(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    return location != null && "file".equals(location.getProtocol()) && location.getPath().endsWith(".java");
  }

  /**
   * Returns the directory holding the program's classes, compiling them on the first call.
   *
   * @param file the launched source file
   * @return the class directory, for the workers' class path
   * @throws WorkerStartException if the source no longer compiles (it was changed or moved)
   */
  static Path compiledClasses(Path file) {
    synchronized (LOCK) {
      if (compiled == null) {
        compiled = compile(file);
      }
      return compiled;
    }
  }

  private static Path compile(Path file) {
    try {
      Path out = Files.createTempDirectory("multiproc-program-");
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      if (javac == null) {
        throw failure(file, "this Java runtime has no compiler (module jdk.compiler)", null);
      }
      List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none", "-implicit:class",
          "-nowarn", "-Xlint:none", "-encoding", StandardCharsets.UTF_8.name(),
          "-cp", System.getProperty("java.class.path", "")));
      sourceRoot(file).ifPresent(root -> args.addAll(List.of("-sourcepath", root.toString())));
      args.add(file.toString());
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      int status = javac.run(null, OutputStream.nullOutputStream(), said, args.toArray(String[]::new));
      if (status != 0) {
        throw failure(file, "javac exited with " + status + ":\n" + said.toString(StandardCharsets.UTF_8), null);
      }
      deleteOnExit(out);
      return out;
    } catch (IOException e) {
      throw failure(file, e.toString(), e);
    }
  }

  /** The root of the source tree: the file's directory, up one level per package name element. */
  private static Optional<Path> sourceRoot(Path file) throws IOException {
    Matcher m = PACKAGE.matcher(Files.readString(file, StandardCharsets.UTF_8));
    Path root = file.getParent();
    if (m.find()) {
      for (int i = m.group(1).split("\\.").length; i > 0 && root != null; i--) {
        root = root.getParent();
      }
    }
    return Optional.ofNullable(root);
  }

  private static void deleteOnExit(Path out) throws IOException {
    try (Stream<Path> tree = Files.walk(out)) {
      tree.forEach(p -> p.toFile().deleteOnExit()); // parents first: the JDK deletes in reverse order
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static WorkerStartException failure(Path file, String why, Throwable cause) {
    return new WorkerStartException("this program runs from its source file " + file
        + " (java " + file.getFileName() + "), so its classes exist only in this JVM's memory; the pool"
        + " compiles it again for its worker JVMs, which failed: " + why
        + "\nCompile the program instead (javac -d classes " + file.getFileName() + ", then java -cp classes"
        + File.pathSeparator + "<libraries> <main class>), or give the workers a class path that holds its"
        + " classes with ProcessPool.builder().classPath(...)", cause);
  }
}
