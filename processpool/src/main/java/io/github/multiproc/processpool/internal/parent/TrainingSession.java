package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.processpool.internal.protocol.MessageType;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.ToWorker;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's side of the AOT cache's training run ({@link AotCache}). The run is a real worker,
 * started with the worker command plus {@code -XX:AOTCacheOutput}, so its JVM records exactly
 * the classes a worker loads on its way to HELLO and through its first chunks; this class plays
 * the parent over the worker's own pipes:
 *
 * <pre>
 *   pool (this class)                         training worker (WorkerMain, as any worker)
 *   ─────────────────                         ───────────────────────────────────────────
 *   read HELLO                      ◀──────   HELLO
 *   DEFINE a lambda task            ──────▶   decode it (SerializedLambda, as for users' lambdas)
 *   TASKS ints, strings, longs,     ──────▶   RESULTS each (every items fast path, and the codec)
 *         doubles, mixed
 *   SHUTDOWN                        ──────▶   exit 0: the JVM writes the cache
 *   read until end of stream        ◀──────
 * </pre>
 *
 * <p>Not thread-safe: one session per training run, on the trainer's thread.
 */
final class TrainingSession {

  private static final long CALL_ID = 1;

  /** The session's task: a lambda, as users write them; it lives in the worker's class path too. */
  private static final Task<Object, Object> TASK = x -> x instanceof Integer i ? i + 1 : x;

  private TrainingSession() {}

  /**
   * Plays the session; returns when the worker has closed its end.
   *
   * @param pipes the training worker's pipes, still held
   * @param codec the pool's codec
   * @throws IOException if the worker ended before its handshake or the pipes broke
   */
  static void play(WorkerPipes pipes, Codec codec) throws IOException {
    try (OutputStream toWorker = pipes.openOutput(); InputStream fromWorker = pipes.input()) {
      FrameReader reader = new FrameReader(fromWorker, Frames.DEFAULT_MAX_FRAME_BYTES, MessageType.DIALECT);
      Frame hello = reader.read();
      if (hello == null || hello.type() != MessageType.HELLO) {
        throw new IOException("the training worker ended before its handshake");
      }
      pipes.connected();
      FrameWriter writer = new FrameWriter(toWorker, Frames.DEFAULT_MAX_FRAME_BYTES);
      ToWorker worker = message -> {
        try {
          writer.write(message.toFrame());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      worker.define(new ParentMessage.Define(CALL_ID, 0, 0, codec.encode(TASK)));
      long batchId = CALL_ID + 1;
      for (List<?> items : chunks()) {
        worker.tasks(ParentMessage.Tasks.of(batchId++, ParentMessage.Tasks.encode(CALL_ID, 0, items, codec).toByteArray()));
      }
      worker.shutdown();
      writer.flush();
      while (reader.read() != null) {
        // RESULTS for each chunk, then the worker's end of stream
      }
    }
  }

  /** One chunk for each kind of items: the fast paths (ints, strings, longs, doubles) and the codec. */
  private static List<List<?>> chunks() {
    List<Integer> ints = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      ints.add(i);
    }
    return List.of(ints, List.of("a", "b"), List.of(1L, 2L), List.of(1.5, 2.5), List.of(List.of(1), "mixed"));
  }
}
