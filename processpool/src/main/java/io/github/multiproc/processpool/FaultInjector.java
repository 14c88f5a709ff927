package io.github.multiproc.processpool;

import java.io.Serial;
import java.io.Serializable;

/**
 * Decides where a {@link ProcessPool} breaks on purpose, so tests can prove what the pool does when
 * a worker is killed, freezes or corrupts the protocol at any stage of a chunk's round trip. Set
 * it with {@link ProcessPool.Builder#faultInjector}; production pools have none.
 *
 * {@snippet :
 * // kill the worker that decodes the chunk holding input #7
 * FaultInjector killAt7 = (stage, index) ->
 *     stage == FaultInjector.Stage.WORKER_DECODE && index == 7 ? FaultInjector.Action.KILL : FaultInjector.Action.NONE;
 * try (ProcessPool pool = ProcessPool.builder().workers(2).faultInjector(killAt7).build()) {
 *   pool.map(x -> x, inputs);   // input #7 fails with WorkerDiedException
 * }
 * }
 *
 * <p>The injector is asked at each {@link Stage}, once per input of the chunk at that stage (once
 * per item at {@link Stage#EXECUTION}); the first answer other than {@link Action#NONE} applies to
 * the whole chunk. The index is the input's position in its call, or {@code -1} for a submitted
 * job. Stages marked "worker" run in the worker JVM: the injector is serialized and sent to every
 * worker once, so it must be serializable and any state it keeps is per process.
 *
 * <p>Thread safety: called concurrently from pool threads and worker threads; implementations
 * must be thread-safe and fast, and must not throw.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface FaultInjector extends Serializable {

  /** Where in a chunk's round trip a fault can strike. */
  enum Stage {
    /** Parent: the chunk's TASKS frame is handed to the worker chosen for it. */
    TASK_ENCODE,
    /** Worker: the worker decodes the chunk's inputs. */
    WORKER_DECODE,
    /** Worker: the task runs on one input. */
    EXECUTION,
    /** Worker: the chunk's results are encoded into a RESULTS frame. */
    RESULT_ENCODE,
    /** Parent: the RESULTS frame is decoded. */
    RESULT_DECODE
  }

  /** What happens at a stage. */
  enum Action {
    /** Nothing. */
    NONE,
    /** The worker holding the chunk is killed with {@code SIGKILL}. */
    KILL,
    /**
     * The worker holding the chunk freezes ({@code SIGSTOP}): no exit, no EOF, no answer; only the
     * pool's heartbeat watchdog can notice it.
     */
    HANG,
    /**
     * Bytes are garbled: the TASKS payload at {@link Stage#TASK_ENCODE}/{@link Stage#WORKER_DECODE}, the
     * protocol stream itself (raw garbage written between frames) at {@link Stage#EXECUTION}, the
     * RESULTS payload at {@link Stage#RESULT_ENCODE}/{@link Stage#RESULT_DECODE}.
     */
    CORRUPT
  }

  /**
   * Decides the fault for one input at one stage.
   *
   * @param stage the stage
   * @param index the input's position in its call, or {@code -1} for a submitted job
   * @return the action, {@link Action#NONE} for none
   */
  Action at(Stage stage, long index);

  /** {@return an injector that never injects anything} */
  static FaultInjector none() {
    return None.INSTANCE;
  }

  /**
   * Returns an injector with a single fault.
   *
   * @param stage where
   * @param index for which input ({@code -1} for a submitted job)
   * @param action what
   * @return the injector
   */
  static FaultInjector at(Stage stage, long index, Action action) {
    return new Single(stage, index, action);
  }

  /** The injector with no faults. */
  enum None implements FaultInjector {
    /** The only instance. */
    INSTANCE;

    @Override
    public Action at(Stage stage, long index) {
      return Action.NONE;
    }
  }

  /**
   * One fault at one stage for one input.
   *
   * @param stage where
   * @param index which input
   * @param action what
   */
  record Single(Stage stage, long index, Action action) implements FaultInjector {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Action at(Stage s, long i) {
      return s == stage && i == index ? action : Action.NONE;
    }
  }
}
