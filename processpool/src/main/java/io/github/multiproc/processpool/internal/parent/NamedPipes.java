package io.github.multiproc.processpool.internal.parent;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates POSIX named pipes (FIFOs) of mode {@code 0600} with one run of the {@code mkfifo}
 * command, and holds them open ({@link #hold}).
 *
 * <p>Why a command and not FFM: the parent creates FIFOs on its way to the first worker's start,
 * and on a cold JVM binding the first FFM downcall costs ~0.1 s of CPU (the linker, the stub
 * generator, method-handle species, and the JIT of all of it), against ~20 ms for the first
 * {@code mkfifo} process, most of which is the JDK's process-start machinery that starting the
 * worker needs right after anyway (docs/performance-log.md, "The first second, continued"). It also
 * needs no native access, so the parent never risks the JDK's warning. The pipes keep the kernel's
 * default capacity (64 KiB on Linux): raising it to 1 MiB with {@code F_SETPIPE_SZ} measured no
 * clear difference on a 100,000-item map and needs that FFM binding.
 *
 * <p>Thread-safe: stateless.
 */
public final class NamedPipes {

  private static final long WAIT_SECONDS = 10;

  private NamedPipes() {}

  /**
   * Creates FIFOs of mode {@code 0600}, all with one {@code mkfifo} process.
   *
   * @param fifos where; none may exist
   * @throws IOException if one cannot be created, with what {@code mkfifo} said
   */
  public static void create(Path... fifos) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "600", "--"));
    for (Path f : fifos) {
      cmd.add(f.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mkfifo " + List.of(fifos) + " did not finish within " + WAIT_SECONDS + " s");
      }
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(); // a line at most
      if (p.exitValue() != 0) {
        throw new IOException("mkfifo " + List.of(fifos) + " failed: exit " + p.exitValue() + ": " + said);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while creating FIFOs " + List.of(fifos));
    }
  }

  /**
   * Opens a FIFO read-write, which never blocks, so that it stays open (and its peers' opens
   * never block) until the returned handle is closed.
   *
   * @param fifo the FIFO
   * @return the handle; closing it drops this process's hold
   * @throws IOException if the FIFO cannot be opened
   */
  public static Closeable hold(Path fifo) throws IOException {
    return new RandomAccessFile(fifo.toFile(), "rw");
  }
}
