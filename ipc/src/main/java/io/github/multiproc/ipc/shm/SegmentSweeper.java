package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the segments whose creating process has died, so a crashed process leaks no shared
 * memory. The process pool calls {@link #sweepOwnedBy(long)} when one of its workers dies;
 * anyone may call {@link #sweep()} at any time (it is cheap: one directory listing and a 64-byte
 * read per {@code multiproc-*} file).
 *
 * {@snippet :
 * List<String> removed = SegmentSweeper.sweep();   // names of orphaned segments unlinked
 * }
 *
 * <p>A segment belongs to the process that created it (its pid and start time are in the
 * header, see the layout in {@code SegmentDescriptor}); "dead" means no process with that pid
 * exists, or one exists but started at another time (the pid was reused). Processes that still
 * have such a segment mapped keep their mapping; only the name goes. Files still being created
 * ({@code multiproc-.tmp-<pid>-...}) are removed only when that pid is dead.
 *
 * <p><b>Thread safety.</b> Stateless and safe to run concurrently from any number of threads
 * and processes: each removal is a single {@code unlink}.
 *
 * @since 0.1
 */
public final class SegmentSweeper {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(SegmentSweeper.class);
  }

  private SegmentSweeper() {}

  /**
   * Unlinks every segment whose owner process is dead.
   *
   * @return the names (without the {@code multiproc-} prefix) of the segments removed
   */
  public static List<String> sweep() {
    return sweep(ShmDirectory.directory(), (pid) -> true);
  }

  /**
   * Unlinks the segments created by {@code pid}, if that process is dead. Live owners are left
   * alone, so a mistaken call can never remove memory in use by its owner.
   *
   * @param pid pid of a process known to have exited (for example a dead worker)
   * @return the names of the segments removed
   */
  public static List<String> sweepOwnedBy(long pid) {
    return sweep(ShmDirectory.directory(), owner -> owner == pid);
  }

  /**
   * Unlinks the segments whose names start with {@code namePrefix} and whose owner is dead, and
   * every unfinished or claimed file ({@code multiproc-.tmp-*}) of a dead process: what a process
   * pool whose parent was killed left behind, without touching other orphans.
   *
   * @param namePrefix the start of the names to consider (without the {@code multiproc-} prefix)
   * @return the names of the segments removed
   */
  public static List<String> sweepNamed(String namePrefix) {
    return sweep(ShmDirectory.directory(), pid -> true, namePrefix);
  }

  static List<String> sweep(Path directory, LongPredicate ownerFilter) {
    return sweep(directory, ownerFilter, "");
  }

  static List<String> sweep(Path directory, LongPredicate ownerFilter, String namePrefix) {
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ShmDirectory.PREFIX + "*")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        boolean considered = fileName.startsWith(ShmDirectory.TEMP_PREFIX)
            || fileName.startsWith(ShmDirectory.PREFIX + namePrefix);
        if (considered && isOrphan(file, fileName, ownerFilter) && unlink(file)) {
          removed.add(fileName.substring(ShmDirectory.PREFIX.length()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list shared memory directory " + directory, e);
    }
    if (!removed.isEmpty()) {
      Log.LOG.info("Unlinked {} shared memory segment(s) of dead processes: {}", removed.size(), removed);
    }
    return removed;
  }

  private static boolean isOrphan(Path file, String fileName, LongPredicate ownerFilter) {
    if (fileName.startsWith(ShmDirectory.TEMP_PREFIX)) {
      long pid = tempOwner(fileName);
      return pid > 0 && ownerFilter.test(pid) && !Pids.isAlive(pid);
    }
    ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_BYTES).order(ByteOrder.nativeOrder());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (header.hasRemaining() && channel.read(header) >= 0) {
        // read the whole header
      }
    } catch (NoSuchFileException e) {
      return false; // unlinked meanwhile
    } catch (IOException e) {
      Log.LOG.debug("Cannot read header of {}: {}", file, e.toString());
      return false;
    }
    if (header.position() < SegmentDescriptor.HEADER_BYTES
        || header.getLong(SegmentDescriptor.MAGIC_OFFSET) != SegmentDescriptor.MAGIC) {
      return false; // not ours, or not complete: a published segment always has its magic
    }
    long pid = header.getLong(SegmentDescriptor.OWNER_PID_OFFSET);
    long start = header.getLong(SegmentDescriptor.OWNER_START_OFFSET);
    return ownerFilter.test(pid) && !Pids.isAlive(pid, start);
  }

  /** The pid in {@code multiproc-.tmp-c-<pid>-<random>}, or -1. */
  private static long tempOwner(String fileName) {
    String[] parts = fileName.substring(ShmDirectory.TEMP_PREFIX.length()).split("-");
    try {
      return parts.length >= 2 ? Long.parseLong(parts[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean unlink(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      Log.LOG.warn("Cannot unlink orphaned shared memory segment {}: {}", file, e.toString());
      return false;
    }
  }
}
