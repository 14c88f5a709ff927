package io.github.multiproc.cluster.internal;

import io.github.multiproc.Idempotent;
import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkDispatcher;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One call of a {@code ClusterPool}: its task encoded once, each chunk's items encoded as a value
 * sequence and sent to a member as a {@link MemberRun}, and each reply decoded with the caller's
 * rule plus the task's package, through the task's class loader.
 *
 * {@snippet :
 * ChunkDispatcher<T, R> call = ClusterDispatcher.open(scheduler, task, rule, pool::checkOpen);
 * CompletableFuture<ChunkResult<R>> result = call.dispatch(chunk, (r, e) -> { });
 * }
 *
 * <p>Thread safety: immutable; {@link #dispatch} may be called from any thread.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class ClusterDispatcher<T, R> implements ChunkDispatcher<T, R> {

  private final MemberScheduler scheduler;
  private final byte[] encodedTask;
  private final boolean idempotent;
  private final JdkCodec codec;
  private final Runnable checkOpen;

  private ClusterDispatcher(MemberScheduler scheduler, byte[] encodedTask, boolean idempotent, JdkCodec codec,
      Runnable checkOpen) {
    this.scheduler = scheduler;
    this.encodedTask = encodedTask;
    this.idempotent = idempotent;
    this.codec = codec;
    this.checkOpen = checkOpen;
  }

  /**
   * Opens a call: encodes its task at once.
   *
   * @param scheduler places chunks on members
   * @param task the call's task
   * @param rule the caller's allow rule (the task's package is added)
   * @param checkOpen throws if the pool is closed
   * @param <T> the input type
   * @param <R> the result type
   * @return the call
   * @throws IllegalArgumentException if the task does not serialize (the message names the class)
   */
  public static <T, R> ClusterDispatcher<T, R> open(MemberScheduler scheduler, Task<? super T, ? extends R> task,
      AllowRule rule, Runnable checkOpen) {
    JdkCodec codec = ClusterCodecs.codec(rule, task.getClass().getClassLoader()).allowingPackageOf(task.getClass());
    byte[] encodedTask;
    try {
      encodedTask = codec.encode(task);
    } catch (CodecException e) {
      throw new IllegalArgumentException("the task must be Serializable to travel to cluster members: "
          + e.getMessage() + " (task " + task.getClass().getName() + ")", e);
    }
    return new ClusterDispatcher<>(scheduler, encodedTask, Idempotent.isIdempotent(task), codec, checkOpen);
  }

  @Override
  public CompletableFuture<ChunkResult<R>> dispatch(Chunk<T> chunk,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone) {
    checkOpen.run();
    byte[] items;
    try {
      items = codec.encodeAll(chunk.items());
    } catch (CodecException e) {
      throw new IllegalArgumentException("inputs must be Serializable to travel to cluster members: "
          + e.getMessage() + " (in " + chunk.description() + ")", e);
    }
    CompletableFuture<ChunkReply> reply =
        scheduler.submit(new MemberRun(encodedTask, chunk.size(), items), idempotent);
    return ChunkReplies.toResult(chunk, reply, whenDone, codec);
  }

  @Override
  public void close() {
    // nothing per call: the task travels inside each chunk
  }
}
