package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.Job;
import io.github.multiproc.processpool.plain.ChildLoaderHost;
import io.github.multiproc.processpool.plain.ElsewhereMain;
import io.github.multiproc.processpool.plain.PluginMain;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool starts wherever its caller runs: from a child {@link URLClassLoader} (a plugin host, a
 * servlet container, {@code mvn exec:java}), from a relative class path with workers in another
 * directory, from a program run from its source file (the README's quick start, with no JVM flag
 * and no JDK warning), from the module path, with a named {@code java}; and a task whose class the
 * workers could not load is refused before it is sent. Programs run as plain {@code java}
 * commands outside Maven ({@link PlainJava}). The Spring Boot jar has its own module (boot-it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchAnywhereIT {

  private static final Duration RUN = Duration.ofSeconds(90);

  @Test
  void shouldRunAPluginThatBundlesTheLibraryInAChildUrlClassLoader(@TempDir Path host) throws Exception {
    List<String> args = new ArrayList<>(List.of("-cp", hostOnly(host), ChildLoaderHost.class.getName(), "platform",
        PluginMain.class.getName()));
    args.addAll(libraryAndTests());
    PlainJava.Run run = PlainJava.run(PlainJava.bare(args), RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("loadedBy=plugin libraryLoadedBy=plugin")
        .contains("squares=[1, 4, 9, 16]").contains("job=ran in PluginMain");
    assertThat(run.jdkWarnings()).as(run.toString()).isEmpty();
  }

  @Test
  void shouldRunAPluginInAChildUrlClassLoaderOverTheHostsLibrary(@TempDir Path host) throws Exception {
    List<String> hostClassPath = new ArrayList<>(List.of(hostOnly(host), PlainJava.target().resolve("classes").toString()));
    hostClassPath.addAll(PlainJava.dependencies());
    PlainJava.Run run = PlainJava.run(PlainJava.bare(List.of("-cp", String.join(File.pathSeparator, hostClassPath),
        ChildLoaderHost.class.getName(), "system", PluginMain.class.getName(),
        PlainJava.target().resolve("test-classes").toString())), RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("loadedBy=plugin libraryLoadedBy=app")
        .contains("squares=[1, 4, 9, 16]").contains("job=ran in PluginMain");
  }

  @Test
  void shouldStartWorkersFromARelativeClassPathInAnotherWorkingDirectory(@TempDir Path elsewhere) throws Exception {
    List<String> relative = new ArrayList<>(List.of("classes", "test-classes"));
    relative.addAll(PlainJava.dependencies());
    ProcessBuilder pb = PlainJava.bare(List.of("-cp", String.join(File.pathSeparator, relative),
        ElsewhereMain.class.getName(), elsewhere.toString())).directory(PlainJava.target().toFile());
    PlainJava.Run run = PlainJava.run(pb, RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("workerDir=" + elsewhere.toRealPath()).contains("doubles=[2, 4, 6]");
  }

  @Test
  void shouldRunTheReadmeQuickStartFromItsSourceFileWithNoFlagAndNoWarning(@TempDir Path dir) throws Exception {
    Path program = writeQuickStart(dir);
    PlainJava.Run run = PlainJava.run(PlainJava.bare(List.of("-cp", library(), program.toString())).directory(dir.toFile()), RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("[1, 4, 9, 16, 25]");
    assertThat(run.jdkWarnings()).as(run.toString()).isEmpty();
  }

  @Test
  void shouldRunTheCompiledReadmeQuickStartWithNoFlagAndNoWarning(@TempDir Path dir) throws Exception {
    Path program = writeQuickStart(dir);
    Path classes = dir.resolve("classes");
    compile(List.of("-cp", library(), "-d", classes.toString(), program.toString()));
    PlainJava.Run run = PlainJava.run(PlainJava.bare(List.of("-cp", library() + File.pathSeparator + classes,
        "QuickStart")), RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("[1, 4, 9, 16, 25]");
    assertThat(run.jdkWarnings()).as(run.toString()).isEmpty();
  }

  @Test
  void shouldRunFromTheModulePathWithASharedQueueInAWorkerAndNoWarning(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), "module app { requires io.github.multiproc.processpool; }\n");
    Files.writeString(src.resolve("app/Main.java"), """
        package app;

        import io.github.multiproc.ipc.shm.MessageCodec;
        import io.github.multiproc.ipc.shm.SharedQueue;
        import io.github.multiproc.processpool.ProcessPool;

        public final class Main {
          public static void main(String[] args) throws Exception {
            SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8()).create();
            try (ProcessPool pool = ProcessPool.create(1)) {
              pool.submit(() -> {
                queue.put("hello from " + Main.class.getModule().getName());
                queue.detach();
                return null;
              }).join();
              System.out.println("took=" + queue.take());
            } finally {
              queue.close();
              queue.detach();
              queue.unlink();
            }
          }
        }
        """);
    String modulePath = String.join(File.pathSeparator, library());
    Path classes = dir.resolve("mods/app");
    compile(List.of("--module-path", modulePath, "-d", classes.toString(), src.resolve("module-info.java").toString(),
        src.resolve("app/Main.java").toString()));
    // the parent uses the queue itself, so it grants ipc native access, as the README says; the
    // library must grant its workers what they need
    PlainJava.Run run = PlainJava.run(PlainJava.bare(List.of("--enable-native-access=io.github.multiproc.ipc",
        "--module-path", modulePath + File.pathSeparator + classes, "-m", "app/app.Main")), RUN);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("took=hello from app");
    assertThat(run.jdkWarnings()).as(run.toString()).isEmpty();
  }

  @Test
  void shouldRefuseATaskWhoseClassTheWorkersCannotLoadAndRunItWithAGivenClassPath(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("classes");
    Files.createDirectories(dir.resolve("src/outside"));
    Path source = Files.writeString(dir.resolve("src/outside/Answer.java"), """
        package outside;
        public final class Answer implements io.github.multiproc.Job<String> {
          public String call() { return "42 from " + getClass().getName(); }
        }
        """);
    compile(List.of("-cp", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString()));
    try (URLClassLoader outside = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Job<String> answer = (Job<String>) outside.loadClass("outside.Answer").getConstructor().newInstance();

      try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
        assertThatThrownBy(() -> pool.submit(answer)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the worker JVMs cannot load outside.Answer")
            .hasMessageContaining(classes.toString())
            .hasMessageContaining("classPath(...)");
        assertThat(pool.submit(() -> "still usable").join()).isEqualTo("still usable");
      }

      List<Path> given = new ArrayList<>(Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
          .map(Path::of).toList());
      given.add(classes);
      try (ProcessPool pool = ProcessPool.builder().workers(1).classPath(given).output(WorkerOutput.DISCARD).build()) {
        assertThat(pool.submit(answer).join()).isEqualTo("42 from outside.Answer");
      }
    }
  }

  @Test
  void shouldSayToSetTheClassPathWhenWorkersCannotLoadTheLibrary(@TempDir Path empty) {
    assertThatThrownBy(() -> ProcessPool.builder().workers(1).classPath(empty).output(WorkerOutput.DISCARD).build())
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("cannot load multiproc's classes")
        .hasMessageContaining("set with classPath(...)")
        .hasMessageContaining("ProcessPool.builder().classPath(...)")
        .hasMessageContaining("Could not find or load main class");
  }

  @Test
  void shouldStartWorkersWithTheJavaOfAGivenJavaHome() throws Exception {
    Path home = Path.of(System.getProperty("java.home"));
    try (ProcessPool pool = ProcessPool.builder().workers(1).javaHome(home).build()) {
      assertThat(pool.submit(() -> System.getProperty("java.home")).join()).isEqualTo(home.toString());
    }
    JvmProcess<String> p = JvmProcess.builder().javaHome(home).start(() -> System.getProperty("java.home"));
    assertThat(p.result()).isEqualTo(home.toString());
  }

  @Test
  void shouldRefuseAJavaHomeWithoutJava(@TempDir Path notAJdk) {
    assertThatThrownBy(() -> ProcessPool.builder().javaHome(notAJdk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("javaHome has no executable bin/java: javaHome=" + notAJdk);
  }

  // ---- helpers ----

  /** The first Java block of the README, as the single-file program QuickStart.java. */
  private static Path writeQuickStart(Path dir) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("README.md has a java block").isTrue();
    return Files.writeString(dir.resolve("QuickStart.java"), block.group(1));
  }

  /** The library's class path: this module's classes and its runtime dependencies. */
  private static String library() throws IOException {
    List<String> entries = new ArrayList<>(List.of(PlainJava.target().resolve("classes").toString()));
    entries.addAll(PlainJava.dependencies());
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> libraryAndTests() throws IOException {
    List<String> entries = new ArrayList<>(List.of(library().split(File.pathSeparator)));
    entries.add(PlainJava.target().resolve("test-classes").toString());
    return entries;
  }

  /** A directory holding only {@link ChildLoaderHost}: the host's whole class path. */
  private static String hostOnly(Path dir) throws IOException {
    String name = ChildLoaderHost.class.getName().replace('.', '/') + ".class";
    Path copy = dir.resolve(name);
    Files.createDirectories(copy.getParent());
    Files.copy(PlainJava.target().resolve("test-classes").resolve(name), copy);
    return dir.toString();
  }

  private static void compile(List<String> args) {
    var err = new java.io.ByteArrayOutputStream();
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, err, args.toArray(String[]::new));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }
}
