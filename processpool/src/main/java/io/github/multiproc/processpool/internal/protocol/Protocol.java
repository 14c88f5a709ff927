package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frames;
import java.util.List;

/**
 * Constants of the worker protocol: the version both sides must agree on and the payload layouts
 * of each frame type. The frame envelope ({@code length | type | correlationId | payload}) is the
 * ipc module's; this class fixes only what the payloads mean.
 *
 * <pre>
 * Transport: two named pipes per worker, one per direction (see WorkerPipes); the worker's
 * stdin/stdout/stderr never carry frames.
 *
 * parent → worker
 *   DEFINE   id=callId   int64 taskTimeoutNanos (0 = none) | int64 graceNanos | task bytes (codec)
 *   DEFINE   id=0        the initializer (codec bytes), run once before the first chunk
 *   DEFINE   id=-1       the fault injector (codec bytes), test pools only; sent before anything else
 *   TASKS    id=chunkId  int64 callId | int64 firstIndex | items (see {@link ItemsCodec})
 *   CANCEL   id=chunkId  (empty)        drop the chunk if queued, interrupt it if running
 *   RELEASE  id=callId   (empty)        forget the call's task
 *   SHUTDOWN id=0        (empty)        finish queued chunks, then exit 0
 *   PING     id=0        (empty)        the watchdog's heartbeat: answer PING at once
 *
 * worker → parent
 *   HELLO    id=0        int32 protocolVersion | int64 pid | UTF javaVersion      (first frame, once)
 *   RESULTS  id=chunkId  see {@link ResultsCodec}                                  (one per TASKS)
 *                        it may hold fewer items than the TASKS frame (never zero): the worker stopped
 *                        after a timed-out item and never started the rest; the parent sends them again
 *   PING     id=0        (empty)        the answer to the parent's PING, sent by the frame reader
 *   ERROR    id=chunkId  UTF-8 reason    the chunk was dropped without an answer: cancelled, or never
 *                                        started because the worker is stopping (the parent re-queues it)
 *   ERROR    id=0        UTF-8 reason    the worker is stopping: send it nothing more
 * </pre>
 *
 * <p>Every TASKS frame gets exactly one answer, RESULTS or ERROR, so the parent always knows
 * which chunks a worker still holds. The parent builds the DEFINE and TASKS payloads of a call
 * with {@link #definePayload} and {@link #tasksPayload}, and nowhere else.
 */
public final class Protocol {

  /** Bumped on any incompatible change to a payload layout. */
  public static final int VERSION = 1;

  /** The correlation id of the DEFINE frame that carries the fault injector. */
  public static final long FAULT_INJECTOR = -1;

  /** The FIFO the parent writes and the worker reads, inside the worker's pipe directory. */
  public static final String TO_WORKER = "to-worker";

  /** The FIFO the worker writes and the parent reads, inside the worker's pipe directory. */
  public static final String TO_PARENT = "to-parent";

  /** The largest payload of a frame under the default frame limit. */
  public static final int MAX_PAYLOAD = Frames.DEFAULT_MAX_FRAME_BYTES - Frames.MIN_LENGTH;

  /** The worker's exit code when its parent died. */
  public static final int EXIT_PARENT_DIED = 70;

  /** The worker's exit code when the protocol broke (a bad frame, an unknown call). */
  public static final int EXIT_PROTOCOL_ERROR = 71;

  /** The worker's exit code after a task ignored its timeout past the grace period. */
  public static final int EXIT_TASK_TIMEOUT = 72;

  /** The worker's exit code after a failure of its own (a VM error, a missing class) while running a chunk. */
  public static final int EXIT_WORKER_FAILURE = 73;

  private Protocol() {}

  /**
   * Encodes a call's DEFINE payload: {@code int64 taskTimeoutNanos | int64 graceNanos | task bytes}.
   *
   * @param taskTimeoutNanos the per-item timeout, or 0 for none
   * @param graceNanos how long a timed-out item may take to stop before its worker is killed
   * @param encodedTask the task, encoded by the codec
   * @return the payload
   */
  public static byte[] definePayload(long taskTimeoutNanos, long graceNanos, byte[] encodedTask) {
    PayloadWriter w = new PayloadWriter(16 + encodedTask.length);
    w.putLong(taskTimeoutNanos);
    w.putLong(graceNanos);
    w.putBytes(encodedTask);
    return w.toByteArray();
  }

  /**
   * Encodes a TASKS payload: {@code int64 callId | int64 firstIndex | items} ({@link ItemsCodec}).
   *
   * @param callId the call whose task runs the items
   * @param firstIndex the input index of the first item
   * @param items the items
   * @param codec encodes items that have no fast path
   * @return the payload, still open (its {@link PayloadWriter#size()} tells whether it fits a frame)
   * @throws io.github.multiproc.ipc.codec.CodecException if an item does not encode
   */
  public static PayloadWriter tasksPayload(long callId, long firstIndex, List<?> items, Codec codec) {
    PayloadWriter w = new PayloadWriter(64 + 8 * items.size());
    w.putLong(callId);
    w.putLong(firstIndex);
    ItemsCodec.encode(items, codec, w);
    return w;
  }
}
