package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.ChannelStreams;
import io.github.multiproc.processpool.internal.protocol.Codecs;
import io.github.multiproc.processpool.internal.protocol.Hello;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The worker JVM's entry point: connects to its parent's protocol socket, says HELLO, then serves
 * frames until SHUTDOWN or until its parent is gone.
 *
 * <p>The protocol never touches fd 0/1/2: the parent listens on a Unix domain socket in a private
 * directory and passes its path and a cookie here; the worker connects with {@link SocketChannel},
 * sends the cookie, then frames. Its stdin reads end of stream; its stdout and stderr are plain
 * pipes that the parent forwards line by line, attributed to the worker. So nothing printed by the
 * JVM before {@code main} ({@code -verbose}, {@code -Xlog}, JFR), by Java code, by native
 * {@code printf}, or by a crash banner can corrupt a frame. No native call is on the path to HELLO.
 *
 * <p>The worker exits when its parent dies: end of stream on the socket (the kernel closes the
 * parent's end even after {@code SIGKILL}), a watch on the parent's {@link ProcessHandle}, and on
 * Linux {@code prctl(PR_SET_PDEATHSIG, SIGKILL)}, set by a background thread after HELLO
 * ({@link ParentDeathSignal}).
 *
 * <p>Arguments: {@code <parent pid> <codec class> <socket path> <cookie hex>}, or
 * {@code --train <codec class>} for the AOT cache's training run. This is protocol code, so it
 * may print to stderr.
 */
public final class WorkerMain {

  /** In place of the parent pid: run the AOT training session and exit. */
  public static final String TRAIN = "--train";

  private WorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args {@code <parent pid> <codec class name> <socket path> <cookie hex>}
   */
  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals(TRAIN)) {
      try {
        WorkerTraining.run(Codecs.byName(args[1]));
      } catch (IOException | RuntimeException e) {
        System.err.println("multiproc worker: training run failed: " + e);
        System.exit(1);
      }
      System.exit(0);
    }
    if (args.length != 4) {
      System.err.println("multiproc worker: expected <parent pid> <codec class> <socket> <cookie>, got "
          + args.length + " argument(s); this class is started by ProcessPool, not by hand");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[0]);
    SocketChannel channel;
    try {
      channel = connect(Path.of(args[2]), HexFormat.of().parseHex(args[3]));
    } catch (IOException e) {
      System.err.println("multiproc worker: cannot connect to the parent's socket " + args[2] + ": " + e);
      Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED);
      return;
    }
    Runnable afterHello = () -> {
      ProcessHandle.of(parentPid).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED)),
          () -> Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED));
      Thread.ofPlatform().daemon().name("multiproc-pdeathsig-1").start(() -> watchParent(parentPid));
    };
    int status = serve(channel, Codecs.byName(args[1]), afterHello);
    if (status == 0) {
      System.exit(0); // asked to shut down: a normal exit, so shutdown hooks run (a JFR recording is dumped)
    }
    Runtime.getRuntime().halt(status); // the parent is gone or the protocol broke: nobody waits for hooks
  }

  /**
   * Connects to the parent's socket and proves who we are with the cookie.
   *
   * @param socket the socket file
   * @param cookie the cookie
   * @return the connected channel
   * @throws IOException if nobody listens there
   */
  static SocketChannel connect(Path socket, byte[] cookie) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ChannelStreams.output(channel).write(cookie);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Says HELLO over a connected channel, then serves frames until SHUTDOWN or end of stream.
   *
   * @param channel the protocol channel
   * @param codec the object codec
   * @param afterHello run once HELLO is on its way (parent watches)
   * @return the exit status
   */
  static int serve(SocketChannel channel, Codec codec, Runnable afterHello) {
    OutputStream out = new BufferedOutputStream(ChannelStreams.output(channel), 1 << 16);
    FrameWriter writer = new FrameWriter(out, Frames.DEFAULT_MAX_FRAME_BYTES);
    FrameReader reader = new FrameReader(new BufferedInputStream(ChannelStreams.input(channel), 1 << 16),
        Frames.DEFAULT_MAX_FRAME_BYTES);
    try {
      byte[] payload = new Hello(Protocol.VERSION, ProcessHandle.current().pid(), System.getProperty("java.version"))
          .encode();
      writer.write(FrameType.HELLO, 0, payload, 0, payload.length);
      writer.flush();
    } catch (IOException e) {
      return Protocol.EXIT_PARENT_DIED; // nobody to talk to
    }
    afterHello.run();
    int status = new WorkerLoop(reader, writer, out, codec).run();
    System.out.flush();
    System.err.flush();
    try {
      writer.close(); // flushes, then half-closes: the parent reads a clean end of stream
    } catch (IOException e) {
      // the parent is gone
    }
    return status;
  }

  /** Sets the parent-death signal, then checks that the parent did not die before it was set. */
  private static void watchParent(long parentPid) {
    try {
      if (ParentDeathSignal.request(9)
          && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid) {
        Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // the parent died before prctl
      }
    } catch (IOException e) {
      System.err.println("multiproc worker: " + e.getMessage() + "; relying on the socket and the parent watch");
    }
  }
}
