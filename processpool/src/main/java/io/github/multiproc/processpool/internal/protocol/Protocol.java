package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.ipc.frame.Frames;

/**
 * Constants of the worker protocol: the versions it speaks, the transport's file names, the
 * payload limit and the worker's exit codes. The messages themselves are {@link ParentMessage}
 * and {@link WorkerMessage}, their codes and layouts drawn in {@link MessageType}.
 *
 * <p>Transport: two named pipes per worker, one per direction (see {@code WorkerPipes}); the
 * worker's stdin/stdout/stderr never carry frames. The handshake is the envelope's
 * ({@code ipc.frame.Hello}, as for a {@code Pipe}): the worker's first frame is HELLO with the
 * version range it speaks; the parent negotiates against {@link #HELLO_RANGE} and drops a worker
 * with no common version.
 */
public final class Protocol {

  /** The worker protocol's version: bumped on any incompatible change to a message. */
  public static final int VERSION = 3;

  /** The oldest worker protocol version this library speaks. */
  public static final int MIN_VERSION = 3;

  /** This side's version range, for {@code Hello.negotiate}. */
  public static final Hello HELLO_RANGE = new Hello(MIN_VERSION, VERSION, ProcessHandle.current().pid(),
      System.getProperty("java.version"), new byte[0]);

  /** The FIFO the parent writes and the worker reads, inside the worker's pipe directory. */
  public static final String TO_WORKER = "to-worker";

  /** The FIFO the worker writes and the parent reads, inside the worker's pipe directory. */
  public static final String TO_PARENT = "to-parent";

  /** The largest payload of a frame under the default frame limit. */
  public static final int MAX_PAYLOAD = Frames.DEFAULT_MAX_FRAME_BYTES - Frames.MIN_LENGTH;

  /**
   * The system property that gives a worker the pool's large-payload threshold (set on its
   * command line only when the pool's differs from {@link #DEFAULT_LARGE_PAYLOAD_THRESHOLD}).
   */
  public static final String LARGE_PAYLOAD_THRESHOLD_PROPERTY = "io.github.multiproc.worker.largePayloadThreshold";

  /** The least bytes that make a value travel out of band unless the pool says otherwise: 1 MiB. */
  public static final long DEFAULT_LARGE_PAYLOAD_THRESHOLD = 1L << 20;

  /**
   * How the reason of a STOPPING message starts when a task threw {@code OutOfMemoryError}: the
   * worker leaves because of its memory, not a timeout.
   */
  public static final String STOPPING_OUT_OF_MEMORY = "out of memory: ";

  /** The worker's exit code when its parent died. */
  public static final int EXIT_PARENT_DIED = 70;

  /** The worker's exit code when the protocol broke (a bad frame, an unknown call). */
  public static final int EXIT_PROTOCOL_ERROR = 71;

  /** The worker's exit code after a task ignored its timeout past the grace period. */
  public static final int EXIT_TASK_TIMEOUT = 72;

  /** The worker's exit code after a failure of its own (a VM error, a missing class) while running a batch. */
  public static final int EXIT_WORKER_FAILURE = 73;

  private Protocol() {}
}
