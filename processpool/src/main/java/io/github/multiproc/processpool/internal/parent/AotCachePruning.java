package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the AOT cache directory small ({@link AotCache}): each cache is ~16 MB, and every rebuilt
 * jar makes a new key. A pool marks the cache it uses as recently used (its modification time, at
 * most once an hour); after each training the directory is pruned: caches unused for
 * {@value #MAX_IDLE_DAYS} days go, and beyond the {@value #MAX_CACHES} most recently used ones the
 * rest go too, once idle for an hour (a worker about to start with a cache keeps it). A cache's
 * log and failure marker go with it. Stateless; concurrent prunes race benignly.
 */
final class AotCachePruning {

  /** How many caches the directory keeps, most recently used first. */
  static final int MAX_CACHES = 8;
  /** A cache unused this long is deleted whatever the count. */
  static final int MAX_IDLE_DAYS = 30;
  private static final Duration RECENT = Duration.ofHours(1);

  private AotCachePruning() {}

  /** Sets a cache's modification time to now unless it is recent already: what {@link #prune} sorts by. */
  static void markUsed(Path cache, Instant now) {
    try {
      if (Files.getLastModifiedTime(cache).toInstant().isBefore(now.minus(RECENT))) {
        Files.setLastModifiedTime(cache, FileTime.from(now));
      }
    } catch (IOException e) {
      Log.LOG.debug("cannot mark the AOT cache {} as used: {}", cache, e.toString());
    }
  }

  /**
   * Deletes caches (with their logs and failure markers) unused for {@link #MAX_IDLE_DAYS} days,
   * those beyond the {@link #MAX_CACHES} most recently used that have been idle for an hour, and
   * training files left by a parent that died over a day ago.
   *
   * @param dir the cache directory
   * @param now the current time
   */
  static void prune(Path dir, Instant now) {
    Map<String, List<Path>> byKey = new HashMap<>();
    Map<String, Instant> lastUse = new HashMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        Instant modified = Files.getLastModifiedTime(f).toInstant();
        if (name.startsWith("training-") && modified.isBefore(now.minus(Duration.ofDays(1)))) {
          AotCache.deleteQuietly(f);
        } else if (name.startsWith(AotCache.PREFIX) && name.contains(".aot")) {
          String key = name.substring(0, name.indexOf(".aot"));
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
          lastUse.merge(key, modified, (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      Log.LOG.debug("cannot prune the AOT cache directory {}: {}", dir, e.toString());
      return;
    }
    List<String> newestFirst = new ArrayList<>(byKey.keySet());
    newestFirst.sort(Comparator.comparing(lastUse::get).reversed());
    for (int i = 0; i < newestFirst.size(); i++) {
      Instant used = lastUse.get(newestFirst.get(i));
      boolean idle = used.isBefore(now.minus(Duration.ofDays(MAX_IDLE_DAYS)));
      boolean surplus = i >= MAX_CACHES && used.isBefore(now.minus(RECENT));
      if (idle || surplus) {
        byKey.get(newestFirst.get(i)).forEach(AotCache::deleteQuietly);
        Log.LOG.debug("AOT cache {} deleted: {}", newestFirst.get(i), idle ? "unused for " + MAX_IDLE_DAYS + " days"
            : "more than " + MAX_CACHES + " caches");
      }
    }
  }

  /** The logger, bound on first use: the pool's way to its first worker's start binds no logging. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AotCachePruning.class);
  }
}
