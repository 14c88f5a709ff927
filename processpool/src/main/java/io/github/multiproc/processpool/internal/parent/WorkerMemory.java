package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a worker's resident set size (RSS) from {@code /proc/<pid>/status}, for
 * {@code maxWorkerMemory}. RSS rather than the heap used after a collection: it is what the
 * machine runs out of, it sees native leaks (direct buffers, JNI, malloc in a library) that the
 * heap never shows, the parent reads it without asking the worker (no protocol change, no GC
 * forced in the worker), and it costs one small file read per answered batch (measurements in
 * {@code docs/performance-log.md}, 2026-12-04).
 *
 * <p>Stateless and thread-safe.
 */
final class WorkerMemory {

  private WorkerMemory() {}

  /**
   * @param pid a process
   * @return its resident bytes, or 0 if unknown (not Linux, or the process is gone)
   */
  static long residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) { // "VmRSS:\t  123456 kB"
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or no procfs: unknown
    }
    return 0;
  }

  /** @return bytes as whole MiB, for messages */
  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
