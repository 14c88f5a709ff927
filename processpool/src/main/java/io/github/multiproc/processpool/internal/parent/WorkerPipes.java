package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.protocol.Protocol;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's end of one worker's protocol channel: two named pipes (FIFOs) in a fresh directory
 * of mode 0700, one per direction, deleted once the worker has said HELLO.
 *
 * <pre>
 *  &lt;dir&gt;/to-worker    parent (writer thread) ──frames──▶ worker (frame reader)
 *  &lt;dir&gt;/to-parent    worker (frame writer)  ──frames──▶ parent (reader thread)
 *
 *  parent                                       worker
 *    mkdir 0700, mkfifo x2 (one process),
 *    hold both open read-write, start worker
 *    open its ends (never blocks: the hold)     open to-parent for writing, to-worker for reading
 *                                               HELLO
 *    HELLO read: drop the hold, unlink the FIFOs and &lt;dir&gt;
 *    frames both ways; a side that closes its writing end gives the other end of stream
 * </pre>
 *
 * <p>Why FIFOs: the worker opens them with plain {@link FileInputStream}/{@link FileOutputStream},
 * classes every JVM has loaded before {@code main}, so connecting costs the worker nothing; a
 * Unix domain socket cost it ~0.05-0.08 s of CPU (NIO selector provider, {@code SecureRandom}).
 * They are not {@link java.nio.channels.InterruptibleChannel}s either: an interrupt never closes
 * them. The kernel closes a dead process's ends, even after {@code SIGKILL}, so each side reads a
 * clean end of stream when the other dies.
 *
 * <p>The hold ({@link NamedPipes#hold}): until HELLO the parent keeps each FIFO open read-write,
 * so no {@code open} blocks on either side. The hold is dropped as soon
 * as HELLO arrives (which proves the worker has opened both ends: it opens them before it writes),
 * or when the pool gives up on the worker ({@link #close()}, also run when its process exits);
 * from then on each side sees the other's end of stream. Nobody else can open the FIFOs after
 * HELLO: they are gone; before, the directory's mode keeps other users out.
 *
 * <p>Thread safety: {@link #input()} is read by one thread, {@link #openOutput()}'s stream written
 * by one other thread; {@link #connected()} and {@link #close()} may be called from any thread.
 */
public final class WorkerPipes implements Closeable {

  /** The name prefix of a worker's pipe directory, followed by the parent's pid and a dash. */
  public static final String PREFIX = "multiproc-w-";

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static final AtomicLong DIRS = new AtomicLong();

  private final Path dir;
  private final Object lock = new Object();
  private final List<Closeable> holds; // guarded by lock; emptied when released
  private boolean closed; // guarded by lock

  private WorkerPipes(Path dir, List<Closeable> holds) {
    this.dir = dir;
    this.holds = holds;
  }

  /**
   * Creates the directory and the two FIFOs, and holds them open.
   *
   * @return the pipes
   * @throws IOException if the directory or a FIFO cannot be created
   */
  public static WorkerPipes create() throws IOException {
    return createAll(1).getFirst();
  }

  /**
   * Creates the pipes of {@code n} workers, every FIFO with one {@code mkfifo} process (a process
   * start costs a cold parent 10–25 ms, once per call instead of once per worker), and holds them
   * open. On failure nothing is left behind.
   *
   * @param n how many workers' pipes, at least 1
   * @return the pipes, one per worker
   * @throws IOException if a directory or a FIFO cannot be created
   */
  public static List<WorkerPipes> createAll(int n) throws IOException {
    List<Path> dirs = new ArrayList<>(n);
    List<Closeable> holds = new ArrayList<>(2 * n);
    try {
      List<Path> fifos = new ArrayList<>(2 * n);
      for (int i = 0; i < n; i++) {
        Path dir = createPrivateDirectory();
        dirs.add(dir);
        fifos.add(dir.resolve(Protocol.TO_WORKER));
        fifos.add(dir.resolve(Protocol.TO_PARENT));
      }
      NamedPipes.create(fifos.toArray(Path[]::new));
      List<WorkerPipes> pipes = new ArrayList<>(n);
      for (Path dir : dirs) {
        List<Closeable> own = new ArrayList<>(2);
        own.add(NamedPipes.hold(dir.resolve(Protocol.TO_WORKER)));
        holds.add(own.getLast());
        own.add(NamedPipes.hold(dir.resolve(Protocol.TO_PARENT)));
        holds.add(own.getLast());
        pipes.add(new WorkerPipes(dir, own));
      }
      return pipes;
    } catch (IOException | RuntimeException e) {
      holds.forEach(WorkerPipes::closeQuietly);
      for (Path dir : dirs) {
        Files.deleteIfExists(dir.resolve(Protocol.TO_WORKER));
        Files.deleteIfExists(dir.resolve(Protocol.TO_PARENT));
        Files.deleteIfExists(dir);
      }
      throw e;
    }
  }

  /*
   * The name is the parent's pid, a counter and the clock: unique among this parent's pipes, and
   * never guessed by another user's process in time to matter, since the directory is created
   * 0700 or not at all (createDirectory fails on any existing name, link or not). Not
   * Files.createTempDirectory: its SecureRandom seeds the JDK's security providers, ~40 ms of a
   * cold parent's way to its first worker.
   */
  private static Path createPrivateDirectory() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    String prefix = PREFIX + ProcessHandle.current().pid() + "-";
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    for (int attempt = 0; ; attempt++) {
      Path dir = base.resolve(prefix + DIRS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
      try {
        return posix ? Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 9) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes the pipe directories that dead parents left in the temporary directory (a parent
   * killed while its workers started has no chance to): {@code multiproc-w-<parent pid>-*} whose
   * parent is gone. Directories of live processes, and anything not ours, are left alone.
   *
   * @return how many directories were deleted
   */
  public static int sweepAbandoned() {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    int swept = 0;
    try (var dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path d : dirs) {
        String rest = d.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue; // an older layout without the pid: leave it
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        try {
          Files.deleteIfExists(d.resolve(Protocol.TO_WORKER));
          Files.deleteIfExists(d.resolve(Protocol.TO_PARENT));
          Files.deleteIfExists(d);
          swept++;
        } catch (IOException e) {
          Log.LOG.debug("could not sweep abandoned worker pipes {}: {}", d, e.toString());
        }
      }
    } catch (IOException e) {
      Log.LOG.debug("could not list {} for abandoned worker pipes: {}", base, e.toString());
    }
    return swept;
  }

  /** @return the directory holding the FIFOs, for the worker's command line */
  public Path directory() {
    return dir;
  }

  /**
   * Returns the protocol stream from the worker. Its first read opens the FIFO; it reads -1 at the
   * worker's end of stream (once the hold is dropped), or if the pipes were closed before it was
   * opened.
   *
   * @return the stream, for one thread
   */
  public InputStream input() {
    return new InputStream() {
      private InputStream in;
      private boolean never;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (in == null && !never) {
          try {
            in = open(new FileInputStream(dir.resolve(Protocol.TO_PARENT).toFile()));
          } catch (IOException e) {
            never = true; // closed (and deleted) before it was opened
          }
        }
        return never ? -1 : in.read(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (in != null) {
          in.close();
        }
      }
    };
  }

  /**
   * Opens the protocol stream to the worker (never blocks). Closing it gives the worker a clean
   * end of stream.
   *
   * @return the stream, for one thread
   * @throws IOException if the pipes were closed before
   */
  public OutputStream openOutput() throws IOException {
    try {
      return open(new FileOutputStream(dir.resolve(Protocol.TO_WORKER).toFile()));
    } catch (FileNotFoundException e) {
      throw new IOException("the worker's pipes were closed before it connected (" + dir + ")", e);
    }
  }

  private <T extends Closeable> T open(T stream) throws IOException {
    synchronized (lock) {
      if (!closed) {
        return stream;
      }
    }
    stream.close();
    throw new IOException("the worker's pipes were closed before it connected (" + dir + ")");
  }

  /**
   * The worker said HELLO, so it has opened both its ends: drops the hold and deletes the FIFOs
   * and the directory. Idempotent.
   */
  public void connected() {
    release();
  }

  /**
   * Gives up on the pipes: drops the hold, so that the parent's reader reads end of stream once
   * the worker's end is closed (or was never opened), and deletes the FIFOs and the directory.
   * Streams already opened are not closed: their owners do. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    release();
  }

  private void release() {
    List<Closeable> toClose;
    synchronized (lock) {
      toClose = List.copyOf(holds);
      holds.clear();
    }
    if (toClose.isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(Protocol.TO_WORKER));
      Files.deleteIfExists(dir.resolve(Protocol.TO_PARENT));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      Log.LOG.warn("could not delete worker pipes {}: {}", dir, e.toString());
    }
    toClose.forEach(WorkerPipes::closeQuietly);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      Log.LOG.debug("closing a worker pipe hold: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "WorkerPipes[" + dir + "]";
  }

  /** The logger, bound on first use: creating pipes, on the way to a worker's start, logs nothing. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(WorkerPipes.class);
  }
}
