package io.github.multiproc.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What Maven Central would receive: the release profile is run against a file repository
 * ({@link ReleaseBuild}, signing with a {@link ThrowawayKey}), then every published artifact is
 * checked — its jar, sources and javadoc jars, a POM with every element Central requires, and a
 * signature on each file that verifies with the key — and nothing else is published (examples,
 * benchmarks and the test modules stay out).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PublicationIT {

  private static final String GROUP_PATH = "io/github/multiproc";
  /** Each published artifact and its packaging. */
  private static final Map<String, String> PUBLISHED = Map.of(
      "multiproc-parent", "pom", "multiproc-bom", "pom", "multiproc-core", "jar", "multiproc-ipc", "jar",
      "multiproc-processpool", "jar", "multiproc-cluster", "jar", "multiproc-guava", "jar",
      "multiproc-micrometer", "jar");

  private final String version = System.getProperty("release.version");
  private ThrowawayKey key;
  private ReleaseBuild build;

  @BeforeAll
  void runTheReleaseBuild() throws Exception {
    key = ThrowawayKey.generate();
    Path work = Path.of("target", "publication").toAbsolutePath();
    deleteTree(work.resolve("staging"));
    build = new ReleaseBuild(Path.of(System.getProperty("release.maven.home")),
        Path.of(System.getProperty("release.root")).toRealPath(),
        Path.of(System.getProperty("release.user.repository")), work);
    ReleaseBuild.Result result = build.run(key, Duration.ofMinutes(8));
    assertThat(result.exit()).as("the release build failed; the end of its log:\n" + result.log()).isZero();
    // warnings about the build itself (an unpinned plugin, a model problem, an empty jar); compiler
    // lint of test code is not the release's concern
    assertThat(result.log().lines().filter(l -> l.startsWith("[WARNING]"))
        .filter(l -> !l.matches("\\[WARNING\\] /.*\\.java:\\[\\d+,\\d+\\].*")))
        .as("the release build warned:\n" + result.log()).isEmpty();
  }

  @Test
  void shouldPublishExactlyTheLibraryArtifacts() throws IOException {
    try (Stream<Path> dirs = Files.list(build.staging().resolve(GROUP_PATH))) {
      assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(PUBLISHED.keySet());
    }
  }

  @Test
  void shouldGiveEveryJarItsSourcesAndJavadoc() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (var e : PUBLISHED.entrySet()) {
      if (e.getValue().equals("jar")) {
        soft.assertThat(entries(file(e.getKey(), ".jar"))).as(e.getKey() + " jar").anyMatch(n -> n.endsWith(".class"));
        soft.assertThat(entries(file(e.getKey(), "-sources.jar"))).as(e.getKey() + " sources")
            .anyMatch(n -> n.endsWith(".java"));
        soft.assertThat(entries(file(e.getKey(), "-javadoc.jar"))).as(e.getKey() + " javadoc").contains("index.html");
      }
    }
    soft.assertAll();
  }

  @Test
  void shouldGiveEveryPomTheElementsCentralRequires() throws IOException {
    PublishedPom parent = pom("multiproc-parent");
    SoftAssertions soft = new SoftAssertions();
    for (String artifactId : PUBLISHED.keySet()) {
      PublishedPom pom = pom(artifactId);
      boolean inherits = pom.text("parent/artifactId").isPresent();
      for (String element : PublishedPom.REQUIRED) {
        Optional<String> value = pom.text(element).or(() -> inherits ? parent.text(element) : Optional.empty());
        soft.assertThat(value).as(artifactId + ": " + element).isPresent();
      }
      soft.assertThat(pom.text("artifactId")).as(artifactId).hasValue(artifactId);
      soft.assertThat(pom.text("version").or(() -> pom.text("parent/version"))).as(artifactId + " version").hasValue(version);
    }
    // inherited URLs must stay the project's, not gain the module's name
    soft.assertThat(parent.projectAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
    for (String a : List.of("connection", "developerConnection", "url")) {
      soft.assertThat(parent.scmAttribute("child.scm." + a + ".inherit.append.path")).as("scm " + a).isEqualTo("false");
    }
    soft.assertThat(pom("multiproc-bom").managedArtifactIds()).as("the BOM manages every published jar")
        .containsExactlyInAnyOrderElementsOf(PUBLISHED.entrySet().stream().filter(e -> e.getValue().equals("jar"))
            .map(Map.Entry::getKey).toList());
    soft.assertAll();
  }

  @Test
  void shouldSignEveryFileWithTheReleaseKey() throws IOException {
    List<Path> files = new ArrayList<>();
    for (var e : PUBLISHED.entrySet()) {
      files.add(file(e.getKey(), ".pom"));
      if (e.getValue().equals("jar")) {
        files.addAll(List.of(file(e.getKey(), ".jar"), file(e.getKey(), "-sources.jar"), file(e.getKey(), "-javadoc.jar")));
      }
    }
    SoftAssertions soft = new SoftAssertions();
    for (Path f : files) {
      Path asc = f.resolveSibling(f.getFileName() + ".asc");
      soft.assertThat(asc).as("signature of " + f.getFileName()).exists();
      if (Files.exists(asc)) {
        soft.assertThat(key.verifies(f, asc)).as("signature of " + f.getFileName() + " verifies").isTrue();
      }
    }
    soft.assertAll();
    // and a signature over other bytes does not verify: the check can fail
    Path jar = file("multiproc-core", ".jar");
    assertThat(key.verifies(jar, file("multiproc-core", ".pom.asc"))).isFalse();
  }

  private Path file(String artifactId, String suffix) {
    return build.staging().resolve(GROUP_PATH).resolve(artifactId).resolve(version)
        .resolve(artifactId + "-" + version + suffix);
  }

  private PublishedPom pom(String artifactId) throws IOException {
    return PublishedPom.read(file(artifactId, ".pom"));
  }

  private static List<String> entries(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      return List.of();
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(e -> e.getName()).toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
