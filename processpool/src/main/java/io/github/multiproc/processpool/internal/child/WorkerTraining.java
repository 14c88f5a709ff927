package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.Codecs;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind the workers' AOT cache: a worker's real start-up path (open the two
 * named pipes the pool created, HELLO) and a short protocol session over them (DEFINE, TASKS with each kind of
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

  /**
   * Runs the session over the two FIFOs in {@code dir}, which the pool created.
   *
   * @param codecClass the codec
   * @param dir the pipe directory
   * @throws IOException if the session fails
   */
  static void run(String codecClass, File dir) throws IOException {
    File toWorker = new File(dir, WorkerMain.TO_WORKER);
    File toParent = new File(dir, WorkerMain.TO_PARENT);
    try {
      Codec codec = Codecs.byName(codecClass);
      Thread parent = Thread.ofPlatform().daemon().name("multiproc-training-parent")
          .start(() -> playParent(toParent, toWorker, codec));
      OutputStream out = new FileOutputStream(toParent);
      InputStream in = new FileInputStream(toWorker);
      // the pool that started this run is watched as a worker watches it: the same classes are
      // recorded, and this run dies with the pool
      long pool = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
      WorkerMain.ParentWatch watch = new WorkerMain.ParentWatch(pool);
      WorkerMain.serve(in, out, codecClass, watch);
      if (!watch.awaitArmed(30_000)) {
        throw new IOException("the parent watch was not armed within 30 s");
      }
      in.close();
      parent.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("training interrupted", e);
    }
  }

  /** Plays the parent: opens its ends, reads HELLO, sends the script, reads every answer. */
  private static void playParent(File toParent, File toWorker, Codec codec) {
    try (InputStream fromWorker = new FileInputStream(toParent);
        OutputStream toWorkerOut = new FileOutputStream(toWorker)) {
      FrameReader reader = new FrameReader(fromWorker, Frames.DEFAULT_MAX_FRAME_BYTES);
      FrameWriter w = new FrameWriter(toWorkerOut, Frames.DEFAULT_MAX_FRAME_BYTES);
      reader.read(); // HELLO
      Task<Object, Object> task = x -> x instanceof Integer i ? i + 1 : x;
      PayloadWriter define = new PayloadWriter(256);
      define.putLong(0);
      define.putLong(0);
      define.putBytes(codec.encode(task));
      w.write(FrameType.DEFINE, 1, define.buffer(), 0, define.size());
      List<Integer> ints = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        ints.add(i);
      }
      List<List<?>> chunks = List.of(ints, List.of("a", "b"),
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
