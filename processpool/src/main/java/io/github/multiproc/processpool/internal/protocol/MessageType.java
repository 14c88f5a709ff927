package io.github.multiproc.processpool.internal.protocol;

import io.github.multiproc.ipc.frame.FrameDialect;
import io.github.multiproc.ipc.frame.FrameType;

/**
 * The frame types of the worker protocol: the process pool's dialect of the frame envelope
 * ({@code length | type | correlationId | payload}, see {@code ipc.frame.Frames}). Every message
 * has a type of its own; correlation ids only ever name a batch, a call or a ping, never a mode.
 *
 * <pre>
 * code  type           way     correlation id   payload
 * 0x01  HELLO          both    0                ipc.frame.Hello (magic, version range, pid, Java version);
 *                                               the worker's is its first frame, the parent negotiates
 * 0x05  ERROR          both    0                UTF-8 reason: the handshake failed
 * 0x02  DEFINE         ▶ w     callId           int64 taskTimeoutNanos | int64 taskTimeoutGraceNanos | task (codec)
 * 0x0C  INITIALIZE     ▶ w     0                the initializer (codec); runs once before the first batch
 * 0x0D  INJECT_FAULTS  ▶ w     0                a FaultInjector (codec); test pools only, sent first
 * 0x03  TASKS          ▶ w     batchId          int64 callId | int64 firstIndex | items (ItemsDescriptor)
 * 0x06  CANCEL         ▶ w     batchId          (empty) drop the batch if queued, interrupt it if running
 * 0x0E  RECALL         ▶ w     batchId          (empty) drop the batch if queued; a running batch goes on
 * 0x09  RELEASE        ▶ w     callId           (empty) forget the call's task
 * 0x0A  PING           ▶ w     sequence         (empty) answer with PONG at once, even while a task runs
 * 0x08  SHUTDOWN       ▶ w     0                (empty) finish the batches held, then exit 0
 * 0x04  RESULTS        w ▶     batchId          ResultsCodec; one answer per TASKS (or DROPPED)
 * 0x20  DROPPED        w ▶     batchId          UTF-8 reason: the batch never ran here (cancelled, recalled,
 *                                               or the worker is stopping); the parent may send it elsewhere
 * 0x21  STOPPING       w ▶     0                UTF-8 reason: the worker will exit; send it nothing more
 * 0x22  PONG           w ▶     sequence         (empty) the answer to PING
 * </pre>
 *
 * <p>Every TASKS gets exactly one answer, RESULTS or DROPPED, so the parent always knows which
 * batches a worker holds. A RESULTS may hold fewer items than its TASKS (never none): the worker
 * stopped after a timed-out item and never started the rest.
 *
 * <p>Thread safety: immutable.
 */
public enum MessageType implements FrameType {
  /** The handshake. */
  HELLO(FrameType.HELLO_CODE),
  /** The handshake failed. */
  ERROR(FrameType.ERROR_CODE),
  /** A call's task. */
  DEFINE(0x02),
  /** The pool's worker initializer. */
  INITIALIZE(0x0C),
  /** A test pool's fault injector. */
  INJECT_FAULTS(0x0D),
  /** A batch of inputs. */
  TASKS(0x03),
  /** Cancel a batch. */
  CANCEL(0x06),
  /** Take back a batch that has not started. */
  RECALL(0x0E),
  /** Forget a call's task. */
  RELEASE(0x09),
  /** The heartbeat. */
  PING(0x0A),
  /** Finish and exit. */
  SHUTDOWN(0x08),
  /** A batch's answers. */
  RESULTS(0x04),
  /** A batch that never ran. */
  DROPPED(0x20),
  /** The worker is stopping. */
  STOPPING(0x21),
  /** The heartbeat's answer. */
  PONG(0x22);

  /** Reads the worker protocol's frames. */
  public static final FrameDialect DIALECT = FrameDialect.of("process-pool worker", values());

  private final byte code;

  MessageType(int code) {
    this.code = (byte) code;
  }

  @Override
  public byte code() {
    return code;
  }
}
