package io.github.multiproc.cluster.internal;

import io.github.multiproc.cluster.MemberClassMissingException;
import io.github.multiproc.cluster.MemberLostException;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.FailureCodec;
import io.github.multiproc.ipc.codec.ItemDecodeException;
import io.github.multiproc.ipc.codec.RejectedPayloadException;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Turns a member's {@link ChunkReply} (or the loss of its member) into the {@link ChunkResult}
 * the engine expects, decoding values and failures in the caller's JVM: a value that does not
 * decode fails its item alone ({@link ItemDecodeException}); a failure comes back as the original
 * exception or its stand-in ({@link FailureCodec}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ChunkReplies {

  private ChunkReplies() {}

  /**
   * Makes the engine's future of a run from the member's reply; cancelling it cancels the run
   * on its member. The callback is taken when the future is made, so no stage is registered on a
   * future that a Hazelcast thread may be completing.
   *
   * @param chunk the chunk that was sent
   * @param reply its reply
   * @param whenDone the dispatch's completion callback, told once the future is done
   * @param codec decodes values and failures: the caller's rule (with the task's package) and
   *     class loader
   * @param <T> the input type
   * @param <R> the result type
   * @return the run's future
   */
  public static <T, R> ChunkFuture<R> toResult(Chunk<T> chunk, CompletableFuture<ChunkReply> reply,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone, Codec codec) {
    ChunkFuture<R> result = new ChunkFuture<>(whenDone) {
      @Override
      protected void stop() {
        reply.cancel(true); // cancels the run on its member, interrupting the task
      }
    };
    reply.whenComplete((r, error) -> {
      try {
        if (error != null) {
          completeFailed(chunk, result, error);
        } else {
          result.complete(decode(chunk, r, codec));
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static <T, R> void completeFailed(Chunk<T> chunk, CompletableFuture<ChunkResult<R>> result,
      Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CancellationException) {
      result.cancel(false);
    } else if (cause instanceof MemberScheduler.MemberGoneException gone) {
      ChunkResult<R> r = new ChunkResult<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        r.fail(i, new MemberLostException(chunk.indexOf(i), gone.member(), gone.attempts(),
            gone.idempotent(), gone.getCause()));
      }
      result.complete(r);
    } else {
      result.completeExceptionally(cause);
    }
  }

  private static <T, R> ChunkResult<R> decode(Chunk<T> chunk, ChunkReply reply, Codec codec) {
    ChunkResult<R> r = new ChunkResult<>(chunk.size());
    if (reply.problem() != null) {
      DecodeProblem.Kind kind = DecodeProblem.Kind.valueOf(reply.problem());
      if (kind == DecodeProblem.Kind.CORRUPT) {
        throw new IllegalStateException("cluster member " + reply.member()
            + " could not decode " + chunk.description() + ": " + reply.problemDetail());
      }
      for (int i = 0; i < chunk.size(); i++) {
        r.fail(i, new MemberClassMissingException(chunk.indexOf(i), reply.problemDetail(), reply.member(),
            kind == DecodeProblem.Kind.REFUSED_CLASS));
      }
      return r;
    }
    DecodedItems values;
    try {
      values = codec.decodeAll(reply.values(), chunk.size());
    } catch (CodecException e) {
      throw new IllegalStateException("cannot decode the results member " + reply.member()
          + " sent for " + chunk.description() + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < values.size(); i++) {
      ItemDecodeException bad = values.failure(i);
      if (bad == null) {
        r.succeed(i, values.value(i));
      } else {
        r.fail(i, new ItemDecodeException(i, bad.valueClassName(), "the task's result from member "
            + reply.member(), withClusterHint(bad.getCause() != null ? bad.getCause() : bad)));
      }
    }
    int[] failed = reply.failedPositions();
    for (int k = 0; k < failed.length; k++) {
      if (failed[k] < 0 || failed[k] >= chunk.size()) {
        throw new IllegalStateException("member " + reply.member() + " reported a failure at position "
            + failed[k] + " of a chunk of " + chunk.size());
      }
      r.fail(failed[k], FailureCodec.decode(reply.failure(k), reply.standIn(k), codec));
    }
    return r.executionNanos(reply.executionNanos());
  }

  /** Adds to a refusal how a cluster pool allows the class. */
  private static Throwable withClusterHint(Throwable cause) {
    if (cause instanceof RejectedPayloadException r && r.refusedClassName() != null) {
      String name = r.refusedClassName();
      int dot = name.lastIndexOf('.');
      String prefix = dot < 0 ? name : name.substring(0, dot + 1);
      return new RejectedPayloadException(r.getMessage() + "; for a ClusterPool, add its package with"
          + " ClusterPool.builder().allowClasses(\"" + prefix + "\")", name, r);
    }
    return cause;
  }
}
