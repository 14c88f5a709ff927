package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.Task;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.processpool.FaultInjector.Action;
import io.github.multiproc.processpool.FaultInjector.Stage;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills, freezes and corrupts at every stage of a chunk's round trip ({@link FaultInjector}),
 * through {@code map}, {@code imap} and {@code submit}, and checks that exactly the faulted input
 * fails with the documented exception, that the pool replaces what it must and goes on. One
 * one-worker pool per stage and action serves the three calls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultInjectionIT {

  /** The faulted input of map/imap calls; submitted jobs are faulted at index -1. */
  private static final long FAULTED = 7;
  private static final List<Integer> INPUTS = IntStream.range(0, 10).boxed().toList();
  /** One chunk per input, one chunk in flight: the faulted chunk is alone in its worker. */
  private static final MapOptions ONE_BY_ONE = MapOptions.builder().chunkSize(1).maxChunksInFlight(1).build();
  private static final Task<Integer, Integer> TIMES_TEN = x -> x * 10;

  /** The fault for one stage and action, at {@link #FAULTED} and at every submitted job. */
  record At(Stage stage, Action action) implements FaultInjector {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public Action at(Stage s, long index) {
      return s == stage && (index == FAULTED || index == -1) ? action : Action.NONE;
    }
  }

  /** What the faulted input does. */
  enum Outcome { DIES, UNRESPONSIVE, PROTOCOL_ERROR_WORKER_KEPT, PROTOCOL_ERROR_WORKER_REPLACED, SUCCEEDS_WORKER_REPLACED }

  static Outcome expected(Stage stage, Action action) {
    boolean afterResults = stage == Stage.RESULT_DECODE;
    return switch (action) {
      case KILL -> afterResults ? Outcome.SUCCEEDS_WORKER_REPLACED : Outcome.DIES;
      case HANG -> afterResults ? Outcome.SUCCEEDS_WORKER_REPLACED : Outcome.UNRESPONSIVE;
      case CORRUPT -> stage == Stage.TASK_ENCODE || stage == Stage.WORKER_DECODE
          ? Outcome.PROTOCOL_ERROR_WORKER_KEPT : Outcome.PROTOCOL_ERROR_WORKER_REPLACED;
      case NONE -> throw new IllegalArgumentException("no fault");
    };
  }

  static Stream<Arguments> faults() {
    List<Arguments> all = new ArrayList<>();
    for (Stage s : Stage.values()) {
      for (Action a : List.of(Action.KILL, Action.HANG, Action.CORRUPT)) {
        all.add(Arguments.of(s, a, expected(s, a)));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("faults")
  void shouldFailOnlyTheFaultedInputAsDocumentedThroughMapImapAndSubmit(Stage stage, Action action, Outcome outcome)
      throws Exception {
    // a short heartbeat timeout only where a hang is the fault: elsewhere a loaded machine could
    // make an honest worker look unresponsive at an earlier input (seen at load 11 with 1 s)
    Duration heartbeatTimeout = action == Action.HANG ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD)
        .heartbeat(Duration.ofMillis(150), heartbeatTimeout).faultInjector(new At(stage, action)).build()) {
      // map: fail fast at the faulted input, or every result
      long pid = pool.workerPids().getFirst();
      Throwable mapFailure = catchThrowable(() -> assertThat(pool.map(TIMES_TEN, INPUTS, ONE_BY_ONE))
          .containsExactlyElementsOf(INPUTS.stream().map(x -> x * 10).toList()));
      pid = check(outcome, mapFailure, FAULTED, pool, pid);

      // imap: the inputs before the faulted one arrive, then it fails (or all arrive)
      Iterator<Integer> it = pool.imap(TIMES_TEN, INPUTS, ONE_BY_ONE);
      List<Integer> seen = new ArrayList<>();
      Throwable imapFailure = catchThrowable(() -> it.forEachRemaining(seen::add));
      assertThat(seen).startsWith(0, 10, 20, 30, 40, 50, 60);
      pid = check(outcome, imapFailure, FAULTED, pool, pid);

      // submit: the job is the faulted input
      Throwable submitFailure = null;
      try {
        assertThat(pool.submit(() -> 42).get(30, TimeUnit.SECONDS)).isEqualTo(42);
      } catch (ExecutionException e) {
        submitFailure = e.getCause();
      }
      check(outcome, submitFailure, -1, pool, pid);
    }
  }

  /** Checks the failure against the outcome, then that the pool still answers; returns the current pid. */
  private static long check(Outcome outcome, Throwable failure, long index, ProcessPool pool, long pidBefore) {
    switch (outcome) {
      case DIES -> assertThat(failure).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
        assertThat(e.index()).isEqualTo(index);
        assertThat(e.pid()).isEqualTo(pidBefore);
        assertThat(e.exitCode()).hasValue(137);
        assertThat(e.getMessage()).contains("signal 9 SIGKILL");
      });
      case UNRESPONSIVE -> assertThat(failure).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
        assertThat(e.index()).isEqualTo(index);
        assertThat(e.pid()).isEqualTo(pidBefore);
        assertThat(e.getMessage()).contains("unresponsive");
      });
      case PROTOCOL_ERROR_WORKER_KEPT, PROTOCOL_ERROR_WORKER_REPLACED ->
          assertThat(failure).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.index()).isEqualTo(index);
            assertThat(e.pid()).isEqualTo(pidBefore);
            assertThat(e.offendingBytes()).contains("ee ee ee ee");
          });
      case SUCCEEDS_WORKER_REPLACED -> assertThat(failure).isNull();
    }
    if (outcome == Outcome.PROTOCOL_ERROR_WORKER_KEPT) {
      assertThat(pool.workerPids()).containsExactly(pidBefore);
    } else {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(pool.workerPids()).hasSize(1).doesNotContain(pidBefore));
      assertThat(ProcessHandle.of(pidBefore).filter(ProcessHandle::isAlive)).isEmpty();
    }
    assertThat(pool.map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
    return pool.workerPids().getFirst();
  }
}
