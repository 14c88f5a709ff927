package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache directory stays bounded: what {@link AotCachePruning#prune} keeps and deletes. */
class AotCachePruneTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @TempDir
  Path dir;

  private Path file(String name, Duration age) throws IOException {
    Path f = Files.writeString(dir.resolve(name), name);
    Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
    return f;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void shouldKeepTheMostRecentlyUsedCachesAndDeleteTheRestWithTheirLogs() throws IOException {
    for (int i = 0; i < AotCachePruning.MAX_CACHES + 3; i++) {
      file("worker-k" + i + ".aot", Duration.ofDays(i + 1));
      file("worker-k" + i + ".aot.log", Duration.ofDays(i + 1));
    }
    AotCachePruning.prune(dir, NOW);
    assertThat(names()).hasSize(2 * AotCachePruning.MAX_CACHES)
        .contains("worker-k0.aot", "worker-k0.aot.log", "worker-k7.aot")
        .doesNotContain("worker-k8.aot", "worker-k8.aot.log", "worker-k10.aot");
  }

  @Test
  void shouldKeepASurplusCacheUsedWithinTheHour() throws IOException {
    for (int i = 0; i < AotCachePruning.MAX_CACHES + 2; i++) {
      file("worker-k" + i + ".aot", Duration.ofMinutes(i)); // all used in the last ten minutes
    }
    AotCachePruning.prune(dir, NOW);
    assertThat(names()).hasSize(AotCachePruning.MAX_CACHES + 2);
  }

  @Test
  void shouldDeleteCachesAndFailureMarkersUnusedForMaxIdleDays() throws IOException {
    file("worker-old.aot", Duration.ofDays(AotCachePruning.MAX_IDLE_DAYS + 1));
    file("worker-failed.aot.failed", Duration.ofDays(AotCachePruning.MAX_IDLE_DAYS + 1));
    file("worker-failed.aot.log", Duration.ofDays(AotCachePruning.MAX_IDLE_DAYS + 1));
    file("worker-recent.aot", Duration.ofDays(AotCachePruning.MAX_IDLE_DAYS - 1));
    AotCachePruning.prune(dir, NOW);
    assertThat(names()).containsExactly("worker-recent.aot");
  }

  @Test
  void shouldDeleteTrainingFilesOnlyOnceADayOld() throws IOException {
    file("training-1-2.aot", Duration.ofHours(25));
    file("training-3-4.aot", Duration.ofMinutes(5)); // a training running now
    file("unrelated.txt", Duration.ofDays(400));
    AotCachePruning.prune(dir, NOW);
    assertThat(names()).containsExactly("training-3-4.aot", "unrelated.txt");
  }

  @Test
  void shouldMarkACacheUsedAtMostOnceAnHour() throws IOException {
    Path stale = file("worker-a.aot", Duration.ofDays(3));
    Path fresh = file("worker-b.aot", Duration.ofMinutes(10));
    AotCachePruning.markUsed(stale, NOW);
    AotCachePruning.markUsed(fresh, NOW);
    assertThat(Files.getLastModifiedTime(stale).toInstant()).isEqualTo(NOW);
    assertThat(Files.getLastModifiedTime(fresh).toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
  }
}
