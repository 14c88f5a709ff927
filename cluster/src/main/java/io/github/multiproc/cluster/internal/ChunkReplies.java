package io.github.multiproc.cluster.internal;

import io.github.multiproc.cluster.MemberClassMissingException;
import io.github.multiproc.cluster.MemberLostException;
import io.github.multiproc.spi.Chunk;
import io.github.multiproc.spi.ChunkFuture;
import io.github.multiproc.spi.ChunkResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Turns a member's {@link ChunkReply} (or the loss of its member) into the {@link ChunkResult}
 * the engine expects, decoding values and failures in the caller's JVM.
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
   * @param loader resolves classes of values and failures
   * @param allowList the classes the caller accepts
   * @param <T> the input type
   * @param <R> the result type
   * @return the run's future
   */
  public static <T, R> ChunkFuture<R> toResult(Chunk<T> chunk, CompletableFuture<ChunkReply> reply,
      BiConsumer<? super ChunkResult<R>, ? super Throwable> whenDone, ClassLoader loader,
      ClassAllowList allowList) {
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
          result.complete(decode(chunk, r, loader, allowList));
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

  private static <T, R> ChunkResult<R> decode(Chunk<T> chunk, ChunkReply reply, ClassLoader loader,
      ClassAllowList allowList) {
    ChunkResult<R> r = new ChunkResult<>(chunk.size());
    if (reply.problem() != null) {
      ObjectCodec.DecodeException.Kind kind = ObjectCodec.DecodeException.Kind.valueOf(reply.problem());
      if (kind == ObjectCodec.DecodeException.Kind.CORRUPT) {
        throw new IllegalStateException("cluster member " + reply.member()
            + " could not decode " + chunk.description() + ": " + reply.problemDetail());
      }
      for (int i = 0; i < chunk.size(); i++) {
        r.fail(i, new MemberClassMissingException(chunk.indexOf(i), reply.problemDetail(), reply.member(),
            kind == ObjectCodec.DecodeException.Kind.REFUSED_CLASS));
      }
      return r;
    }
    Object[] values;
    try {
      values = (Object[]) ObjectCodec.decode(reply.values(), loader, allowList);
    } catch (ObjectCodec.DecodeException e) {
      throw new IllegalStateException("cannot decode the results member " + reply.member()
          + " sent for " + chunk.description() + ": " + describe(e), e);
    }
    if (values.length != chunk.size()) {
      throw new IllegalStateException("member " + reply.member() + " answered " + values.length
          + " results for a chunk of " + chunk.size());
    }
    for (int i = 0; i < values.length; i++) {
      r.succeed(i, values[i]);
    }
    int[] failed = reply.failedPositions();
    for (int k = 0; k < failed.length; k++) {
      r.fail(failed[k], failure(reply, k, loader, allowList));
    }
    return r.executionNanos(reply.executionNanos());
  }

  private static Throwable failure(ChunkReply reply, int k, ClassLoader loader, ClassAllowList allowList) {
    byte[] original = reply.failure(k);
    if (original != null) {
      try {
        return (Throwable) ObjectCodec.decode(original, loader, allowList);
      } catch (ObjectCodec.DecodeException | ClassCastException e) {
        // not rebuildable here: the stand-in carries class name, message and stack trace
      }
    }
    return (Throwable) ObjectCodec.decode(reply.standIn(k), loader, allowList);
  }

  private static String describe(ObjectCodec.DecodeException e) {
    return switch (e.kind()) {
      case MISSING_CLASS -> "class " + e.detail() + " is not on this JVM's class path";
      case REFUSED_CLASS -> "class " + e.detail() + " is not in the allow-list; add its package with"
          + " ClusterPool.builder().allowClasses(...)";
      case CORRUPT -> e.detail();
    };
  }
}
