package io.github.multiproc.bootit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.LoaderImplementation;
import org.springframework.boot.loader.tools.Repackager;

/**
 * Runs {@link BootApp} from Spring Boot executable jars with {@code java -jar} and no JVM flag:
 * the Boot 4 jar built by {@code spring-boot-maven-plugin}, and Boot 3.5 jars built here with
 * Boot's own repackager, with its current loader ({@code jar:nested:} URLs) and its classic one
 * ({@code jar:file:...!/BOOT-INF/lib/...} URLs, the loader of Boot 2.x to 3.1). In each, the
 * library is nested under {@code BOOT-INF/lib} and loaded by Boot's class loader, which
 * {@code java.class.path} ({@code app.jar}) does not describe.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringBootJarIT {

  @Test
  void shouldRunAProcessPoolAndAJvmProcessFromABoot4Jar() throws Exception {
    assertRuns(Path.of(System.getProperty("boot.jar")), "org.springframework.boot.loader.launch.LaunchedClassLoader");
  }

  @Test
  void shouldRunAProcessPoolAndAJvmProcessFromABoot35Jar(@TempDir Path dir) throws Exception {
    assertRuns(repackage(dir.resolve("app.jar"), LoaderImplementation.DEFAULT),
        "org.springframework.boot.loader.launch.LaunchedClassLoader");
  }

  @Test
  void shouldRunAProcessPoolAndAJvmProcessFromABootJarWithTheClassicLoader(@TempDir Path dir) throws Exception {
    assertRuns(repackage(dir.resolve("app.jar"), LoaderImplementation.CLASSIC),
        "org.springframework.boot.loader.LaunchedURLClassLoader");
  }

  private static void assertRuns(Path jar, String bootLoader) throws Exception {
    Path out = Files.createTempFile("boot-it-", ".out");
    Path err = Files.createTempFile("boot-it-", ".err");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          jar.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean ended = p.waitFor(90, TimeUnit.SECONDS);
      String said = "stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      assertThat(ended).as(said).isTrue();
      assertThat(p.exitValue()).as(said).isZero();
      assertThat(Files.readString(out)).contains("loader=" + bootLoader).contains("squares=[1, 4, 9, 16]")
          .contains("workerLoader=" + bootLoader).contains("job=ran in BootApp");
      assertThat(Files.readString(err).lines().filter(l -> l.contains("WARNING:"))).as(said).isEmpty();
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Repackages the plain application jar with Boot 3.5's repackager, nesting its runtime jars. */
  private static Path repackage(Path destination, LoaderImplementation loader) throws IOException {
    Repackager repackager = new Repackager(Path.of(System.getProperty("plain.jar")).toFile());
    repackager.setMainClass(BootApp.class.getName());
    repackager.setLoaderImplementation(loader);
    List<String> libraries = List.of(Files.readString(Path.of("target", "runtime-classpath.txt")).strip()
        .split(File.pathSeparator));
    repackager.repackage(destination.toFile(), callback -> {
      for (String library : libraries) {
        callback.library(new Library(new File(library), LibraryScope.COMPILE));
      }
    });
    return destination;
  }
}
