package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.ChannelStreams;
import io.github.multiproc.processpool.internal.protocol.ItemsCodec;
import io.github.multiproc.processpool.internal.protocol.PayloadWriter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The training run behind the workers' AOT cache: a worker's real start-up path (connect to a
 * Unix domain socket, cookie, HELLO) and a short protocol session over it (DEFINE, TASKS with each
 * kind of items, SHUTDOWN) played by a thread of the same JVM in the parent's role, so that the
 * JVM records the classes a real worker loads and links. Runs with {@code -XX:AOTCacheOutput}.
 */
final class WorkerTraining {

  private WorkerTraining() {}

  static void run(Codec codec) throws IOException {
    Path dir = Files.createTempDirectory("multiproc-train-");
    Path socket = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket), 1);
      Thread parent = Thread.ofPlatform().daemon().name("multiproc-training-parent").start(() -> playParent(server, codec));
      SocketChannel channel = WorkerMain.connect(socket, new byte[16]);
      WorkerMain.serve(channel, codec, () -> {
        try {
          ParentDeathSignal.request(0); // records the FFM classes; 0 sets nothing
        } catch (IOException e) {
          // training only
        }
      });
      parent.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("training interrupted", e);
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  /** Plays the parent: accepts, reads the cookie and HELLO, sends the script, reads every answer. */
  private static void playParent(ServerSocketChannel server, Codec codec) {
    try (SocketChannel ch = server.accept()) {
      ChannelStreams.input(ch).readNBytes(16);
      FrameReader reader = new FrameReader(ChannelStreams.input(ch), Frames.DEFAULT_MAX_FRAME_BYTES);
      FrameWriter w = new FrameWriter(ChannelStreams.output(ch), Frames.DEFAULT_MAX_FRAME_BYTES);
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
