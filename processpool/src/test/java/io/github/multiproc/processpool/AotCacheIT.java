package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.processpool.plain.AotMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' AOT cache end to end, as a user with a class path of jars gets it: the first pool
 * trains it in the background (over FIFOs it makes, in its own temp directory), the next pool's
 * workers start with {@code -XX:AOTCache}, compute the right results, and the JVM prints no AOT
 * warning; no training file, FIFO or directory is left behind.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AotCacheIT {

  @Test
  void shouldTrainTheCacheThenStartWorkersWithIt(@TempDir Path tmp) throws Exception {
    Path target = PlainJava.target();
    Path appJar = tmp.resolve("app.jar");
    jarPackage(target.resolve("test-classes"), "io/github/multiproc/processpool/plain/", appJar);
    List<String> classPath = new ArrayList<>(List.of(libraryJar(target).toString(), appJar.toString()));
    classPath.addAll(PlainJava.dependencies());
    assertThat(classPath).allMatch(e -> e.endsWith(".jar"));
    Path cacheHome = Files.createDirectories(tmp.resolve("cache"));
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path cacheDir = cacheHome.resolve("multiproc").resolve("aot");

    String out = outputOfRun(PlainJava.command(List.of("-Djava.io.tmpdir=" + javaTmp),
        String.join(File.pathSeparator, classPath), AotMain.class, cacheDir.toString()), cacheHome);
    assertThat(out).contains("firstSum=328350", "cacheFiles=1", "secondSum=328350", "workersUsedCache=true")
        .doesNotContain("[aot]", "warning", "error");
    try (Stream<Path> left = Files.list(cacheDir)) {
      assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("training-"));
    }
    try (Stream<Path> left = Files.list(javaTmp)) {
      // multiproc-crashes is where workers' crash reports would go (CrashReports): it stays, empty
      assertThat(left.map(f -> f.getFileName().toString()).filter(n -> !n.equals("multiproc-crashes")))
          .as("temp files of the pools and the training").isEmpty();
    }
  }

  /**
   * A program run from its source file ({@code java Main.java}) has its classes compiled into a
   * temporary directory on the workers' class path, named anew by every run: its runs must still
   * share one cache, or every run trains a cache of its own in the background and evicts others.
   */
  @Test
  void shouldGiveEveryRunOfASourceFileProgramTheCacheTheFirstRunTrained(@TempDir Path tmp) throws Exception {
    Path target = PlainJava.target();
    List<String> classPath = new ArrayList<>(List.of(libraryJar(target).toString()));
    classPath.addAll(PlainJava.dependencies());
    Path program = Files.writeString(tmp.resolve("Main.java"), """
        import io.github.multiproc.processpool.ProcessPool;
        import java.util.List;
        import java.util.stream.Stream;

        void main() {
          try (ProcessPool pool = ProcessPool.create(2)) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4));
            boolean withCache = pids.stream().distinct().allMatch(pid -> ProcessHandle.of(pid)
                .flatMap(h -> h.info().arguments()).stream().flatMap(Stream::of)
                .anyMatch(a -> a.startsWith("-XX:AOTCache=")));
            IO.println("workersUsedCache=" + withCache);
          }
        }
        """);
    Path cacheHome = Files.createDirectories(tmp.resolve("cache"));
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path cacheDir = cacheHome.resolve("multiproc").resolve("aot");

    String first = runFromSource(program, classPath, cacheHome, javaTmp);
    assertThat(first).contains("workersUsedCache=false"); // nothing trained yet: this run starts the training
    await().atMost(Duration.ofSeconds(100)).until(() -> cacheFiles(cacheDir).size() == 1);
    String second = runFromSource(program, classPath, cacheHome, javaTmp);

    assertThat(second).contains("workersUsedCache=true");
    assertThat(cacheFiles(cacheDir)).hasSize(1);
  }

  private static String runFromSource(Path program, List<String> classPath, Path cacheHome, Path javaTmp)
      throws IOException, InterruptedException {
    return outputOfRun(PlainJava.bare(List.of("-Djava.io.tmpdir=" + javaTmp, "-cp",
        String.join(File.pathSeparator, classPath), program.toString())), cacheHome);
  }

  /** Runs a program with its caches under {@code cacheHome}; returns its output once it exited with 0, leaving no child. */
  private static String outputOfRun(ProcessBuilder pb, Path cacheHome) throws IOException, InterruptedException {
    pb.redirectErrorStream(true).environment().put("XDG_CACHE_HOME", cacheHome.toString());
    Process p = pb.start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(p.descendants()).isEmpty();
    return out;
  }

  private static List<Path> cacheFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("worker-[0-9a-f]+\\.aot")).toList();
    }
  }

  private static Path libraryJar(Path target) throws IOException {
    try (Stream<Path> jars = Files.list(target)) {
      return jars.filter(f -> f.getFileName().toString().matches("multiproc-processpool-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no processpool jar in " + target));
    }
  }

  private static void jarPackage(Path classes, String packageDir, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.list(classes.resolve(packageDir))) {
      for (Path f : files.toList()) {
        out.putNextEntry(new JarEntry(packageDir + f.getFileName()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }
}
