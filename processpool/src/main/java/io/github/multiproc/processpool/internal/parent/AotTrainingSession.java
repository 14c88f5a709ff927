package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.child.WorkerMain;
import io.github.multiproc.processpool.internal.protocol.MessageType;
import io.github.multiproc.processpool.internal.protocol.ParentMessage;
import io.github.multiproc.processpool.internal.protocol.ToWorker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's side of the training run, over the training worker's own pipes: a representative
 * session, so that the cache holds what a worker loads and the method profiles (JEP 515) of its
 * hot loops as real maps exercise them.
 *
 * <pre>
 *   trainer (this class)                    training worker (WorkerMain, as any worker)
 *   read HELLO                      ◀──────   HELLO
 *   per call: DEFINE a lambda       ──────▶   decode it (SerializedLambda, as for users' lambdas)
 *             TASKS chunks          ──────▶   RESULTS each
 *             RELEASE               ──────▶
 *   SHUTDOWN                        ──────▶   exit 0: the JVM writes the cache
 * </pre>
 *
 * <p>The calls: ints in chunks of 12,500 over 0..100,000 (what {@code map} of 100k items on two
 * workers sends, beyond the small-{@code Integer} cache, so {@code Integer.valueOf}'s profile has
 * both branches), strings, longs, doubles, generic items (the codec), small chunks, and a task
 * that fails on one item (the failure path). Three different lambdas run the calls, so the
 * worker's call of the task is profiled as polymorphic, as it is with users' lambdas: a profile
 * of one lambda class would make the JIT inline it and deoptimize on the user's first task.
 *
 * <p>Not thread-safe: one session per training run.
 */
final class AotTrainingSession {

  /** Chunk size of a 100,000-item map on two workers: ceil(100,000 / (4 x 2)). */
  static final int CHUNK = 12_500;
  static final int ITEMS = 100_000;

  private static final List<Task<Object, Object>> TASKS = List.of(
      x -> x instanceof Integer i ? i * i : x,
      x -> x instanceof Integer i ? i + 1 : x,
      x -> {
        if (x instanceof Integer i && i == -1) {
          throw new IllegalArgumentException("a failing item, as users' tasks have");
        }
        return x;
      });

  private AotTrainingSession() {}

  /**
   * Plays the session; returns when the worker has closed its end.
   *
   * @param pipes the training worker's pipes, still held
   * @param codec the pool's codec
   * @throws IOException if the worker ended early or the pipes broke
   */
  static void play(WorkerPipes pipes, Codec codec) throws IOException {
    try (OutputStream toWorker = pipes.openOutput(); InputStream fromWorker = pipes.input()) {
      FrameReader reader = new FrameReader(new BufferedInputStream(fromWorker, 1 << 16),
          Frames.DEFAULT_MAX_FRAME_BYTES, MessageType.DIALECT);
      Frame hello = reader.read();
      if (hello == null || hello.type() != MessageType.HELLO) {
        throw new IOException("the training worker ended before its handshake");
      }
      pipes.connected();
      FrameWriter writer = new FrameWriter(new BufferedOutputStream(toWorker, 1 << 16), Frames.DEFAULT_MAX_FRAME_BYTES);
      ToWorker worker = message -> {
        try {
          writer.write(message.toFrame());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      long id = 1;
      List<List<List<?>>> calls = calls();
      for (int c = 0; c < calls.size(); c++) {
        long callId = id++;
        worker.define(new ParentMessage.Define(callId, 0, 0, codec.encode(TASKS.get(c % TASKS.size()))));
        long first = 0;
        for (List<?> items : calls.get(c)) {
          // one batch at a time, its answer read before the next is sent: the pipes have the
          // kernel's default capacity, and a worker blocked writing answers nobody reads stops
          // reading batches too
          worker.tasks(ParentMessage.Tasks.of(id++,
              ParentMessage.Tasks.encode(callId, first, items, codec).toByteArray()));
          first += items.size();
          writer.flush();
          awaitAnswer(reader);
        }
        worker.release(callId);
      }
      worker.shutdown();
      writer.flush();
      while (reader.read() != null) {
        // the worker's end of stream
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Reads frames until a RESULTS (or DROPPED) answers the batch sent. */
  private static void awaitAnswer(FrameReader reader) throws IOException {
    while (true) {
      Frame f = reader.read();
      if (f == null) {
        throw new IOException("the training worker ended during the session");
      }
      if (f.type() == MessageType.RESULTS || f.type() == MessageType.DROPPED) {
        return;
      }
    }
  }

  /** The calls, each a list of chunks. */
  static List<List<List<?>>> calls() {
    List<List<?>> bigInts = new ArrayList<>();
    for (int from = 0; from < ITEMS; from += CHUNK) {
      List<Integer> chunk = new ArrayList<>(CHUNK);
      for (int i = from; i < from + CHUNK; i++) {
        chunk.add(i);
      }
      bigInts.add(chunk);
    }
    List<String> strings = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    List<Double> doubles = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      strings.add("item-" + i);
      longs.add(1L << 40 | i);
      doubles.add(i * 0.5);
    }
    List<Integer> small = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      small.add(i);
    }
    return List.of(
        bigInts,
        List.of(strings, longs, doubles, List.of(List.of(1), "mixed", 3L), small, List.of(7)),
        List.of(small, List.of(1, -1, 2), List.of(List.of(1), "mixed")),
        bigInts);
  }
}
