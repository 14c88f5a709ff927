package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.parent.NamedPipes;
import io.github.multiproc.processpool.internal.protocol.Codecs;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The training run behind the workers' AOT cache: a worker's real start-up path (open the two
 * named pipes, HELLO) and a short protocol session over them (DEFINE, TASKS with each kind of
 * items, SHUTDOWN) played by a thread of the same JVM in the parent's role, so that the JVM
 * records the classes a real worker loads and links. Runs with {@code -XX:AOTCacheOutput}.
 *
 * <p><b>Diagnostics go to {@code System.err} on purpose</b>, not through SLF4J: the worker's
 * stderr is a pipe the parent reads, forwards attributed to the worker, and quotes (its last
 * lines) in {@code WorkerDiedException} and {@code WorkerStartException}; a dying or half-started
 * worker may have no logging backend at all, and none is loaded on the start-up path.
 */
final class WorkerTraining {

  private WorkerTraining() {}

  static void run(String codecClass) throws IOException {
    Path dir = Files.createTempDirectory("multiproc-train-");
    Path toWorker = dir.resolve(WorkerMain.TO_WORKER);
    Path toParent = dir.resolve(WorkerMain.TO_PARENT);
    try {
      NamedPipes.create(toWorker);
      NamedPipes.create(toParent);
      Codec codec = Codecs.byName(codecClass);
      Thread parent = Thread.ofPlatform().daemon().name("multiproc-training-parent")
          .start(() -> playParent(toParent, toWorker, codec));
      OutputStream out = new FileOutputStream(toParent.toFile());
      InputStream in = new FileInputStream(toWorker.toFile());
      WorkerMain.serve(in, out, codecClass, () -> {
        try {
          ParentDeathSignal.request(0); // records the FFM classes; 0 sets nothing
        } catch (IOException e) {
          // training only
        }
      });
      in.close();
      parent.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("training interrupted", e);
    } finally {
      Files.deleteIfExists(toWorker);
      Files.deleteIfExists(toParent);
      Files.deleteIfExists(dir);
    }
  }

  /** Plays the parent: opens its ends, reads HELLO, sends the script, reads every answer. */
  private static void playParent(Path toParent, Path toWorker, Codec codec) {
    try (InputStream fromWorker = new FileInputStream(toParent.toFile());
        OutputStream toWorkerOut = new FileOutputStream(toWorker.toFile())) {
      FrameReader reader = new FrameReader(fromWorker, Frames.DEFAULT_MAX_FRAME_BYTES);
      FrameWriter w = new FrameWriter(toWorkerOut, Frames.DEFAULT_MAX_FRAME_BYTES);
      reader.read(); // HELLO
      Task<Object, Object> task = x -> x instanceof Integer i ? i + 1 : x;
      PayloadWriter define = new PayloadWriter(256);
      define.putLong(0);
      define.putLong(0);
      define.putBytes(codec.encode(task));
      w.write(FrameType.DEFINE, 1, define.buffer(), 0, define.size());
      List<List<?>> chunks = List.of(IntStream.range(0, 64).boxed().toList(), List.of("a", "b"),
          List.of(1L, 2L), List.of(1.5, 2.5), List.of(List.of(1), "mixed"));
      long id = 2;
      for (List<?> items : chunks) {
        PayloadWriter tasks = new PayloadWriter(256);
        tasks.putLong(1);
        tasks.putLong(0);
        ItemsCodec.encode(items, codec, tasks);
        w.write(FrameType.TASKS, id++, tasks.buffer(), 0, tasks.size());
      }
      w.write(FrameType.SHUTDOWN, 0, new byte[0], 0, 0);
      w.flush();
      Frame f;
      while ((f = reader.read()) != null) {
        // RESULTS for each chunk, then end of stream
        assert f.type() != null;
      }
    } catch (IOException e) {
      System.err.println("multiproc worker: training session failed: " + e);
    }
  }
}
