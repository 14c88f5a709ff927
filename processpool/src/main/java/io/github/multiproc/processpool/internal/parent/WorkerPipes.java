package io.github.multiproc.processpool.internal.parent;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's end of one worker's protocol channel: two named pipes (FIFOs) in a fresh directory
 * of mode 0700, one per direction, deleted as soon as both ends of both are open.
 *
 * <pre>
 *  &lt;dir&gt;/to-worker    parent (writer thread) ──frames──▶ worker (frame reader)
 *  &lt;dir&gt;/to-parent    worker (frame writer)  ──frames──▶ parent (reader thread)
 *
 *  parent                                   worker
 *    mkdir 0700, mkfifo x2, start worker
 *    open to-parent for reading   ◀─────▶   open to-parent for writing     (open(2) blocks until
 *    open to-worker for writing   ◀─────▶   open to-worker for reading      both ends are there)
 *    both open: unlink the FIFOs and &lt;dir&gt;
 *    frames in both directions; a side that closes its writing end gives the other end of stream
 * </pre>
 *
 * <p>Why FIFOs: the worker opens them with plain {@link FileInputStream}/{@link FileOutputStream},
 * classes every JVM has loaded before {@code main}, so connecting costs the worker nothing; a
 * Unix domain socket cost it ~0.05-0.08 s of CPU (NIO selector provider, {@code SecureRandom}).
 * They are not {@link java.nio.channels.InterruptibleChannel}s either: an interrupt never closes
 * them. The kernel closes a dead process's ends, even after {@code SIGKILL}, so each side reads a
 * clean end of stream when the other dies.
 *
 * <p>Nobody else can open the FIFOs once the worker has: they are gone from the file system by
 * then, and before that the directory's mode keeps other users out.
 *
 * <p>If the worker never opens its ends (it died first, or the pool closed), {@link #close()}
 * releases the parent's threads blocked in {@code open}: it opens each FIFO read-write for an
 * instant (never blocks), after which the parent's reader reads end of stream and its writer
 * fails with a broken pipe.
 *
 * <p>Thread safety: {@link #input()} is opened and read by one thread, {@link #output()} by one
 * other thread; {@link #close()} may be called from any thread.
 */
public final class WorkerPipes implements Closeable {

  /** The FIFO the parent writes and the worker reads, inside {@link #directory()}. */
  public static final String TO_WORKER = "to-worker";
  /** The FIFO the worker writes and the parent reads, inside {@link #directory()}. */
  public static final String TO_PARENT = "to-parent";

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPipes.class);

  private final Path dir;
  private final Object lock = new Object();
  private int opened; // guarded by lock: parent ends opened so far (2 = connected)
  private boolean deleted; // guarded by lock
  private boolean closed; // guarded by lock

  private WorkerPipes(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates the directory and the two FIFOs.
   *
   * @return the pipes, not yet open
   * @throws IOException if the directory or a FIFO cannot be created
   */
  public static WorkerPipes create() throws IOException {
    Path dir = createPrivateDirectory();
    try {
      NamedPipes.create(dir.resolve(TO_WORKER));
      NamedPipes.create(dir.resolve(TO_PARENT));
      return new WorkerPipes(dir);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(dir.resolve(TO_WORKER));
      Files.deleteIfExists(dir.resolve(TO_PARENT));
      Files.deleteIfExists(dir);
      throw e;
    }
  }

  private static Path createPrivateDirectory() throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempDirectory(base, "multiproc-w-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempDirectory(base, "multiproc-w-");
  }

  /** @return the directory holding the FIFOs, for the worker's command line */
  public Path directory() {
    return dir;
  }

  /**
   * Returns the protocol stream from the worker. Its first read opens the FIFO, blocking until the
   * worker has opened its end; it reads -1 at the worker's end of stream, or if the pipes were
   * closed before the worker connected.
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
            in = opened(new FileInputStream(dir.resolve(TO_PARENT).toFile()));
          } catch (IOException e) {
            never = true; // closed (or deleted) before the worker connected
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
   * Opens the protocol stream to the worker, blocking until the worker has opened its end (or
   * until {@link #close()}). Closing it gives the worker a clean end of stream.
   *
   * @return the stream, for one thread
   * @throws IOException if the pipes were closed before the worker connected
   */
  public OutputStream openOutput() throws IOException {
    try {
      return opened(new FileOutputStream(dir.resolve(TO_WORKER).toFile()));
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("the worker's pipes were closed before it connected (" + dir + ")", e);
    }
  }

  private <T extends Closeable> T opened(T stream) throws IOException {
    boolean both;
    synchronized (lock) {
      if (closed) {
        stream.close(); // opened only because close() released the open
        throw new IOException("the worker's pipes were closed before it connected (" + dir + ")");
      }
      both = ++opened == 2;
    }
    if (both) {
      delete();
    }
    return stream;
  }

  /**
   * Releases any parent thread still blocked opening a FIFO (the worker never connected) and
   * deletes the FIFOs and the directory. Streams already opened are not closed: their owners do.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (opened == 2 || deleted) {
        return;
      }
    }
    // An O_RDWR open of a FIFO never blocks and completes the opens that wait for a peer. Hold
    // both until the files are gone, so that an open arriving meanwhile finds a peer or no file.
    RandomAccessFile toParent = releaseOpen(TO_PARENT);
    RandomAccessFile toWorker = releaseOpen(TO_WORKER);
    delete();
    closeQuietly(toParent);
    closeQuietly(toWorker);
  }

  private RandomAccessFile releaseOpen(String name) {
    try {
      return new RandomAccessFile(dir.resolve(name).toFile(), "rw");
    } catch (IOException e) {
      LOG.debug("releasing worker pipe {}: {}", dir.resolve(name), e.toString());
      return null;
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing to release
      }
    }
  }

  private void delete() {
    synchronized (lock) {
      if (deleted) {
        return;
      }
      deleted = true;
    }
    try {
      Files.deleteIfExists(dir.resolve(TO_WORKER));
      Files.deleteIfExists(dir.resolve(TO_PARENT));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("could not delete worker pipes {}: {}", dir, e.toString());
    }
  }

  @Override
  public String toString() {
    return "WorkerPipes[" + dir + "]";
  }
}
