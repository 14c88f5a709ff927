package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.Hello;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The training run behind the workers' AOT cache: a worker's start-up and a short in-memory
 * protocol session (DEFINE, TASKS with each kind of items, SHUTDOWN), so that the JVM records the
 * classes a real worker loads and links. Runs with {@code -XX:AOTCacheOutput}; touches no pipe.
 */
final class WorkerTraining {

  private WorkerTraining() {}

  static void run(Codec codec) throws IOException {
    NativeFds.load().ifPresent(fds -> {
      try {
        fds.close(fds.dup(2));
      } catch (IOException e) {
        // training only
      }
    });
    new Hello(Protocol.VERSION, ProcessHandle.current().pid(), System.getProperty("java.version")).encode();
    ByteArrayOutputStream script = new ByteArrayOutputStream();
    FrameWriter w = new FrameWriter(script, Frames.DEFAULT_MAX_FRAME_BYTES);
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
    FrameReader reader = new FrameReader(new ByteArrayInputStream(script.toByteArray()), Frames.DEFAULT_MAX_FRAME_BYTES);
    new WorkerLoop(reader, new FrameWriter(OutputStream.nullOutputStream(), Frames.DEFAULT_MAX_FRAME_BYTES), codec).run();
  }
}
