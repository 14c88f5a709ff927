package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.TaskFailedException;
import io.github.multiproc.WorkerDiedException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import io.github.multiproc.processpool.WorkerOutput;
import io.github.multiproc.processpool.WorkerStartException;
import io.github.multiproc.processpool.internal.protocol.ResultsCodec;
import io.github.multiproc.processpool.internal.protocol.SharedValueReader;
import io.github.multiproc.processpool.internal.protocol.SharedValues;
import io.github.multiproc.spi.AbstractPool;
import io.github.multiproc.spi.ChunkResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker JVM that runs one job and exits: the mechanism behind
 * {@link io.github.multiproc.processpool.JvmProcess}. The job is queued for the worker's pipe at
 * once (the worker reads it after its HELLO), so starting never waits for the JVM.
 *
 * <p>The process is started by a thread ({@code multiproc-jvmprocess-n}) that lives until the
 * process exits, so Linux's parent-death signal fires only when this JVM dies.
 *
 * <p>Thread-safe.
 */
public final class OneShotWorker implements WorkerProcess.Listener {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final long CALL_ID = 1;
  private static final long CHUNK_ID = 2;

  private final Codec codec;
  private final CompletableFuture<Object> result = new CompletableFuture<>();
  private final WorkerProcess worker;
  private final Class<?> jobClass;

  private OneShotWorker(WorkerCommand command, WorkerOutput output, Codec codec, Duration startTimeout,
      AbstractPool.JobTask<?> job) {
    this.codec = codec;
    this.jobClass = job.job().getClass();
    // fails here if the job does not serialize
    ParentMessage.Define define = new ParentMessage.Define(CALL_ID, 0, 0, codec.encode(job));
    ParentMessage.Tasks tasks = ParentMessage.Tasks.of(CHUNK_ID, ParentMessage.Tasks.encode(CALL_ID,
        TaskFailedException.NO_INDEX, Collections.singletonList(null), codec).toByteArray()); // a job has no index
    CompletableFuture<WorkerProcess> started = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("multiproc-jvmprocess-" + IDS.incrementAndGet()).start(() -> {
      WorkerProcess w;
      try {
        w = WorkerProcess.start(command, CrashReports.jvmArgs(), this, new OutputSink(output));
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
        return;
      }
      started.complete(w);
      try {
        w.awaitExit(Duration.ofDays(365 * 100L)); // keep the starting thread alive while the child lives
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // nobody interrupts this thread; end it
      }
    });
    try {
      this.worker = started.join();
    } catch (RuntimeException e) {
      throw new WorkerStartException(StartDiagnostics.cannotStart(command, e.getCause()), e.getCause());
    }
    worker.define(define);
    worker.tasks(tasks);
    worker.ready().orTimeout(startTimeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((h, e) -> {
      if (e instanceof TimeoutException) {
        result.completeExceptionally(new WorkerStartException("worker JVM pid " + worker.pid()
            + " did not say HELLO within " + startTimeout + "; its stderr ends with:\n" + worker.stderrTail(), e));
        worker.kill();
      }
    });
  }

  /**
   * Starts a JVM that runs {@code job}.
   *
   * @param command the command line
   * @param output where its output goes
   * @param codec the codec
   * @param startTimeout the handshake deadline
   * @param job the job
   * @return the running worker
   */
  public static OneShotWorker start(WorkerCommand command, WorkerOutput output, Codec codec, Duration startTimeout,
      AbstractPool.JobTask<?> job) {
    return new OneShotWorker(command, output, codec, startTimeout, job);
  }

  /** @return completes with the job's value, or exceptionally with what it threw or why it could not run */
  public CompletableFuture<Object> result() {
    return result;
  }

  /** @return the process */
  public ProcessHandle handle() {
    return worker.handle();
  }

  /** @return the exit code once the process has exited, else empty */
  public java.util.OptionalInt exitCode() {
    return worker.exitCode();
  }

  /**
   * Waits until the child's output was forwarded (its pipes reached EOF).
   *
   * @param timeout how long at most
   * @throws InterruptedException if interrupted
   */
  public void awaitOutput(Duration timeout) throws InterruptedException {
    worker.awaitOutput(timeout);
  }

  /** Kills the process. */
  public void kill() {
    worker.kill();
  }

  @Override
  public void onMessage(WorkerProcess w, WorkerMessage message) {
    if (message instanceof WorkerMessage.Results r) { // instanceof: no type-switch bootstrap in a cold JVM
      answered(w, r.payload());
    } else if (message instanceof WorkerMessage.Dropped d) {
      result.completeExceptionally(new IllegalStateException("worker " + w.pid() + " dropped the job: " + d.reason()));
      w.shutdown();
    }
  }

  private void answered(WorkerProcess w, byte[] payload) {
    List<SharedValues.Entry> outOfBand = List.of();
    try { // a large result travels in shared memory: claimed before the child's exit can sweep it
      outOfBand = SharedValueReader.claim(ResultsCodec.outOfBand(payload, 1, w.pid()));
      ChunkResult<Object> r = ResultsCodec.decode(payload, codec.allowingPackageOf(jobClass), 1,
          SharedValueReader.claimedFrom(w.pid()));
      if (r.failed(0)) {
        Throwable t = r.failure(0);
        result.completeExceptionally(t instanceof TaskFailedException ? t : new TaskFailedException(TaskFailedException.NO_INDEX, t));
      } else {
        result.complete(r.value(0));
      }
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(new TaskFailedException(TaskFailedException.NO_INDEX,
          new IOException("cannot decode the job's result from worker " + w.pid() + ": " + e, e)));
    } finally {
      SharedValueReader.deleteClaimed(outOfBand);
    }
    w.shutdown();
  }

  @Override
  public void onDeath(WorkerProcess w, WorkerDeath death) {
    // a JvmProcess child is swept like a pool worker: its shared-memory segments go with it
    DeadWorkers.sweepSharedMemory(w);
    result.completeExceptionally(new WorkerDiedException(WorkerDiedException.NO_INDEX, death.pid(),
        death.exitCode(), death.stderrTail()));
  }
}
