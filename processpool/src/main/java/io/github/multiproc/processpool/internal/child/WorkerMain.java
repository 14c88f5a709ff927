package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.processpool.internal.protocol.MessageType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.Codecs;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The worker JVM's entry point: opens the two named pipes its parent created for it, says HELLO,
 * then serves frames until SHUTDOWN or until its parent is gone.
 *
 * <p>The protocol never touches fd 0/1/2: the parent creates {@code <dir>/to-worker} and
 * {@code <dir>/to-parent} (FIFOs, in a private directory) and passes the directory here; the
 * worker opens them with plain {@link FileInputStream}/{@link FileOutputStream}, then sends
 * frames. Its stdin reads end of stream; its stdout and stderr are plain pipes that the parent
 * forwards line by line, attributed to the worker. So nothing printed by the JVM before
 * {@code main} ({@code -verbose}, {@code -Xlog}, JFR), by Java code, by native {@code printf}, or
 * by a crash banner can corrupt a frame.
 *
 * <p>The path to HELLO is kept short, since it is the worker's start-up time: no native call, no
 * NIO, no lambda, no logging framework, no codec (created after HELLO). java.io file streams are
 * loaded by every JVM before {@code main}.
 *
 * <p>The worker exits when its parent dies, at any moment of its life: from its first line a
 * thread polls its parent pid ({@link ParentPoll}, which also deletes the pipe directory a dead
 * parent cannot); then end of stream on {@code to-worker} (the kernel closes the parent's end
 * even after {@code SIGKILL}); and on Linux {@code prctl(PR_SET_PDEATHSIG, SIGKILL)}, set by a
 * background thread at the worker's first pause after its first answer ({@link ParentDeathSignal},
 * {@link ParentWatch}).
 *
 * <p>Arguments: {@code <parent pid> <codec class> <pipe directory>}. The AOT cache's training run
 * is a worker like any other, driven by the pool (see {@code AotTrainingSession}). This is protocol
 * code, so it may print to stderr.
 *
 * <p><b>Diagnostics go to {@code System.err} on purpose</b>, not through SLF4J: the worker's
 * stderr is a pipe the parent reads, forwards attributed to the worker, and quotes (its last
 * lines) in {@code WorkerDiedException} and {@code WorkerStartException}; a dying or half-started
 * worker may have no logging backend at all, and none is loaded on the start-up path.
 */
public final class WorkerMain {

  private WorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args {@code <parent pid> <codec class name> <pipe directory>}
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("multiproc worker: expected <parent pid> <codec class> <pipe directory>, got "
          + args.length + " argument(s); this class is started by ProcessPool, not by hand");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[0]);
    // watched before the pipes are opened: a parent killed while this worker starts would leave it
    // blocked in open(2) forever, and its pipe directory behind
    ParentPoll.start(parentPid, new File(args[2]));
    OutputStream toParent;
    InputStream toWorker;
    try {
      // the same order as the parent's threads cannot deadlock: each of its two ends is opened by its own thread
      toParent = new FileOutputStream(new File(args[2], Protocol.TO_PARENT));
      toWorker = new FileInputStream(new File(args[2], Protocol.TO_WORKER));
    } catch (IOException e) {
      System.err.println("multiproc worker: cannot open the parent's pipes in " + args[2] + ": " + e);
      Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED);
      return;
    }
    ParentWatch watch = new ParentWatch(parentPid);
    int status = serve(toWorker, toParent, args[1], watch);
    if (status == 0) {
      // asked to shut down: a normal exit, so shutdown hooks run (a JFR recording is dumped). A
      // signal not set yet is not needed any more, except by the AOT training worker: its cache
      // then holds what setting the signal loads, so it sets it now and waits for it
      boolean training = Boolean.getBoolean(Protocol.AOT_TRAINING_PROPERTY);
      watch.exiting(training);
      if (training) {
        watch.awaitArmed(1_000);
      }
      System.exit(0);
    }
    Runtime.getRuntime().halt(status); // the parent is gone or the protocol broke: nobody waits for hooks
  }

  /**
   * Says HELLO, then serves frames until SHUTDOWN or end of stream.
   *
   * @param fromParent the protocol stream from the parent
   * @param toParent the protocol stream to the parent
   * @param codecClass the object codec's class, instantiated after HELLO
   * @param watch started once HELLO is on its way; told of the first answer
   * @return the exit status
   */
  static int serve(InputStream fromParent, OutputStream toParent, String codecClass, ParentWatch watch) {
    OutputStream out = new BufferedOutputStream(toParent, 1 << 16);
    FrameWriter writer = new FrameWriter(out, Frames.DEFAULT_MAX_FRAME_BYTES);
    FrameReader reader = new FrameReader(new BufferedInputStream(fromParent, 1 << 16), Frames.DEFAULT_MAX_FRAME_BYTES,
        MessageType.DIALECT);
    try {
      writer.write(new Hello(Protocol.MIN_VERSION, Protocol.VERSION, ProcessHandle.current().pid(),
          System.getProperty("java.version"), new byte[0]).toFrame(MessageType.HELLO));
      writer.flush();
    } catch (IOException e) {
      return Protocol.EXIT_PARENT_DIED; // nobody to talk to
    }
    watch.start();
    Codec codec;
    try {
      codec = Codecs.byName(codecClass);
    } catch (RuntimeException e) {
      System.err.println("multiproc worker: " + e.getMessage());
      e.printStackTrace();
      return Protocol.EXIT_WORKER_FAILURE;
    }
    WorkerLoop loop = new WorkerLoop(reader, writer, out, codec, watch::firstAnswerSent);
    watch.idleClock(loop::idleSince);
    int status = loop.run();
    System.out.flush();
    System.err.flush();
    try {
      writer.close(); // flushes, then closes the pipe: the parent reads a clean end of stream
    } catch (IOException e) {
      // the parent is gone
    }
    return status;
  }

  /**
   * Watches the parent after HELLO, on its own daemon thread so that the first frames are not
   * kept waiting: its {@link ProcessHandle} at once (the worker halts when it exits), then the
   * parent-death signal once the worker has answered and been idle for {@link #IDLE_MILLIS}, or
   * {@link #LATEST_MILLIS} after HELLO if it never was.
   *
   * <p>Why wait for a pause: the first FFM downcall a JVM links generates its stubs and method
   * handle species in the interpreter, ~50 ms of CPU, and it took the locks the first task's
   * deserialization needs. Bound right after the first answer, it ran beside the rest of the first
   * map on a worker sized for one core; a worker of a short program now never binds it, and a
   * normal exit does not wait for it (docs/performance-log.md). Until the signal is set,
   * {@link ParentPoll} (every 0.1 s), the {@code onExit} watch and the pipe's end of stream end a
   * worker whose parent died.
   */
  static final class ParentWatch {
    /** Set the parent-death signal once the worker has been idle this long after an answer. */
    static final long IDLE_MILLIS = 200;
    /** Set it by then (after HELLO) even if the worker was never idle that long. */
    static final long LATEST_MILLIS = 10_000;

    private final long parentPid;
    private final CountDownLatch armed = new CountDownLatch(1);
    private final CountDownLatch answered = new CountDownLatch(1);
    private final CountDownLatch armNow = new CountDownLatch(1);
    private volatile LongSupplier idleSince = () -> WorkerLoop.NOT_IDLE;
    private volatile boolean exiting;

    ParentWatch(long parentPid) {
      this.parentPid = parentPid;
    }

    /** Starts the watch thread. */
    void start() {
      Thread watcher = new Thread(this::watch, "multiproc-pdeathsig-1");
      watcher.setDaemon(true);
      watcher.start();
    }

    /** @param idleSince the worker loop's {@link WorkerLoop#idleSince()} */
    void idleClock(LongSupplier idleSince) {
      this.idleSince = idleSince;
    }

    /** The worker sent its first answer: the parent-death signal may be set at the next pause. */
    void firstAnswerSent() {
      answered.countDown();
    }

    /**
     * The worker is exiting normally.
     *
     * @param arm set the signal now if it is not set yet (the training worker); otherwise it is
     *     not needed any more and is skipped
     */
    void exiting(boolean arm) {
      exiting = !arm;
      answered.countDown();
      armNow.countDown();
    }

    /**
     * Waits until the watch thread is done: both watches set, or the signal skipped by
     * {@link #exiting}.
     *
     * @param millis how long at most
     */
    void awaitArmed(long millis) {
      try {
        armed.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // exiting anyway; keep the status
      }
    }

    private void watch() {
      try {
        ProcessHandle.of(parentPid).ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED)),
            () -> Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED));
        long latest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LATEST_MILLIS);
        try {
          answered.await(LATEST_MILLIS, TimeUnit.MILLISECONDS);
          awaitPause(latest);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // nobody interrupts this thread; set the signal now
        }
        if (!exiting) {
          watchParent(parentPid);
        }
      } finally {
        armed.countDown();
      }
    }

    /** Returns once the worker has been idle for IDLE_MILLIS, at {@code latest}, or when told to arm or skip. */
    private void awaitPause(long latest) throws InterruptedException {
      long idle = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
      while (true) {
        long now = System.nanoTime();
        long since = idleSince.getAsLong();
        long wait = since == WorkerLoop.NOT_IDLE ? idle : since + idle - now;
        if (wait <= 0 || now - latest >= 0) {
          return;
        }
        if (armNow.await(Math.min(wait, latest - now), TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    }
  }

  /** Sets the parent-death signal, then checks that the parent did not die before it was set. */
  private static void watchParent(long parentPid) {
    try {
      if (ParentDeathSignal.request(9)
          && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid) {
        Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // the parent died before prctl
      }
    } catch (IOException e) {
      System.err.println("multiproc worker: " + e.getMessage() + "; relying on the pipe and the parent watch");
    }
  }
}
